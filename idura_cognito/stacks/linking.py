"""The linking trigger of a created pool (docs/linking.md): the module's ``linking.tf``, as CDKTF resources.

The function's source and the module's packager are a CDKTF asset of the stack (staged from those two files
alone, like the program): any ``app.synth()`` copies them next to ``cdk.tf.json``, so the synthesized folder
deploys on its own. ``terraform_data.link_federated_user_package`` builds the ZIP while applying, as the module
does, into the same path under the root's ``.terraform/``: a migration between the renderings changes nothing.
"""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import tempfile
from pathlib import Path

from ..config.model import StackConfig
from ..definitions import linking
from ..definitions.addresses import USER_POOL
from ..encoding import template_literal as literal
from ..hcl.module_folder import module_folder
from .bindings import (
    CloudwatchLogGroup,
    IamRole,
    IamRolePolicy,
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaPermission,
)
from .cdk import AssetType, DataResource, LocalExecProvisioner, TerraformAsset, TerraformStack


@functools.cache  # one staged copy per process: every stack of an app shares it
def functions_folder() -> str:
    """A folder holding the packager and the handler in the module's layout, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="idura-cognito-functions-"))
    atexit.register(shutil.rmtree, folder, True)
    for relative in (linking.PACKAGER, linking.SOURCE):
        target = folder / Path(relative).relative_to("functions")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((module_folder() / relative).read_bytes())
    return str(folder)


def add_linking_trigger(stack: TerraformStack, *, config: StackConfig, tags: dict[str, str]) -> str:
    """Role, policy, log group, function and Cognito's permission to invoke it; returns the function's ARN (a
    reference) for the pool's ``lambda_config``. The pool's own ARN is referenced, not known: the trigger is
    created before the pool, the policy and permission after it. ``tags`` must already be template-escaped."""
    name = linking.function_name(config.escrow_name)  # a hex digest after a fixed prefix: nothing to escape
    functions = TerraformAsset(
        stack,
        "link_federated_user_functions",
        path=functions_folder(),
        type=AssetType.DIRECTORY,
        asset_hash=linking.source_hash()[:32],
    )
    package_hash = linking.package_hash()
    packager = "${path.module}/" + functions.path + "/package.py"
    build = DataResource(
        stack,
        linking.PACKAGE.name,
        triggers_replace={"package": package_hash},
        provisioners=[
            LocalExecProvisioner(
                type="local-exec",
                command=f'python3 -I -B "{packager}" {linking.FUNCTION_FOLDER} "{linking.BUILT_PACKAGE}"',
            )
        ],
    )
    IamRole(
        stack,
        linking.ROLE.name,
        name=name,
        assume_role_policy=json.dumps(linking.assume_role_policy()),
        tags=tags,
    )
    log_group = CloudwatchLogGroup(
        stack,
        linking.LOG_GROUP.name,
        name=f"/aws/lambda/{name}",
        retention_in_days=linking.LOG_RETENTION_DAYS,
        tags=tags,
    )
    IamRolePolicy(
        stack,
        linking.POLICY.name,
        name=name,
        role=linking.ROLE.ref("id"),
        # References inside a constant document: Terraform resolves them; no config value reaches it.
        policy=json.dumps(linking.role_policy(USER_POOL.ref("arn"), linking.LOG_GROUP.ref("arn"))),
    )
    LambdaFunction(
        stack,
        linking.FUNCTION.name,
        function_name=name,
        description="idura-cognito: links a second federated identity of one person to the Cognito user they are",
        role=linking.ROLE.ref("arn"),
        runtime=linking.RUNTIME,
        handler=linking.HANDLER,
        filename=linking.BUILT_PACKAGE,
        source_code_hash=package_hash,
        timeout=linking.TIMEOUT_SECONDS,
        memory_size=linking.MEMORY_MB,
        tags=tags,
        environment=LambdaFunctionEnvironment(
            variables={linking.PROVIDER_NAMES_ENV: literal(json.dumps(list(config.idp_names), separators=(",", ":")))}
        ),
        depends_on=[log_group, build],
    )
    LambdaPermission(
        stack,
        linking.PERMISSION.name,
        statement_id=linking.STATEMENT_ID,
        action="lambda:InvokeFunction",
        function_name=linking.FUNCTION.ref("function_name"),
        principal=linking.INVOKER,
        source_arn=USER_POOL.ref("arn"),
        source_account=f'${{split(":", {USER_POOL.address}.arn)[4]}}',
    )
    return linking.FUNCTION.ref("arn")
