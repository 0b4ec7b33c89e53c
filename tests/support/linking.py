"""The linking trigger as a stack deployed it: what AWS holds, and one person signing in through two of the
stack's buttons with the function Terraform built.

moto stores the function but runs no trigger and does no federation, so the handler runs here, loaded from the
ZIP Terraform built and uploaded (its hash checked against what moto stored), with the environment Terraform gave
the function, inside the wrapper's model of Cognito's federated sign-in (idura_cognito/local/cognito_sign_in.py).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import os
import tempfile
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path

from idura_cognito.definitions import linking
from idura_cognito.local.cognito_sign_in import federated_sign_in


@contextmanager
def _environment(values: dict[str, str]):
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def deployed_trigger(boto, pool_id: str, workdir: Path) -> dict:
    """The pool's pre sign-up trigger, the function's configuration and policy, and the package Terraform built."""
    cognito, lam, iam = boto("cognito-idp"), boto("lambda"), boto("iam")
    arn = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("LambdaConfig", {}).get("PreSignUp")
    if arn is None:
        return {"pre_sign_up": None}
    function = lam.get_function_configuration(FunctionName=arn)
    role = function["Role"].rsplit("/", 1)[1]
    policies = iam.list_role_policies(RoleName=role)["PolicyNames"]
    package = workdir / linking.BUILD_PATH
    return {
        "pre_sign_up": arn,
        "function": function,
        "policy": iam.get_role_policy(RoleName=role, PolicyName=policies[0])["PolicyDocument"] if policies else None,
        "invoke_policy": json.loads(lam.get_policy(FunctionName=arn)["Policy"]),
        "package": package.read_bytes() if package.exists() else None,
    }


def package_hash(package: bytes) -> str:
    """Lambda's CodeSha256: base64 of the SHA-256 of the ZIP."""
    return base64.b64encode(hashlib.sha256(package).digest()).decode()


def one_person_through_two_buttons(endpoint_url: str, pool_id: str, trigger: dict, first: str, second: str) -> dict:
    """The same Idura ``sub`` signs in through ``first``, then twice through ``second``, with the deployed handler
    as Cognito's pre sign-up trigger. Returns the outcomes and the pool's user names afterwards."""
    variables = trigger["function"]["Environment"]["Variables"]
    sub = "{" + str(uuid.uuid4()) + "}"
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(trigger["package"])) as archive:
            archive.extractall(folder)
        module_name, function_name = trigger["function"]["Handler"].split(".")
        spec = importlib.util.spec_from_file_location(
            f"deployed_{uuid.uuid4().hex}", Path(folder) / f"{module_name}.py"
        )
        module = importlib.util.module_from_spec(spec)
        with _environment(variables | {"AWS_DEFAULT_REGION": pool_id.split("_", 1)[0]}):
            spec.loader.exec_module(module)
            handler = getattr(module, function_name)
            outcomes = [
                federated_sign_in(endpoint_url, pool_id, provider, sub, pre_sign_up=handler)
                for provider in (first, second, second)
            ]
    return {"sub": sub, "outcomes": [(o.outcome, o.username) for o in outcomes]}
