"""The linking trigger (docs/linking.md), defined once for both renderings: one person is one Cognito user.

A created pool whose stack has more than one Idura identity provider (the picker and a pinned eID button) runs
``modules/idura-cognito/functions/link_federated_user/handler.py`` as its pre sign-up trigger. The module
(``linking.tf``) and the CDKTF stack (``stacks/linking.py``) create the same resources under the same Terraform
names, from these values. The function's ZIP is built while Terraform applies, by the module's
``functions/package.py`` (standard library): reproducible byte for byte, so its hash is known when planning
(``make generate`` writes it into the module's ``functions.tf``), no archive provider is needed, a plan writes
nothing, and an apply on another machine than its plan's builds what it uploads.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import os
from pathlib import Path

from ..hcl.module_folder import module_folder
from .addresses import LINK_FUNCTION, LINK_LOG_GROUP, LINK_PACKAGE, LINK_PERMISSION, LINK_POLICY, LINK_ROLE

#: The function's folder under the module's ``functions/``, its handler and the packager, relative to the module.
FUNCTION_FOLDER = "link_federated_user"
SOURCE = f"functions/{FUNCTION_FOLDER}/handler.py"
PACKAGER = "functions/package.py"
#: Where Terraform builds the package, relative to the root it runs in: inside its data folder (ignored by every
#: infra repository), the same path in both renderings, so a migration between them changes nothing.
BUILD_PATH = ".terraform/idura-cognito/link_federated_user.zip"
#: The package's path as both renderings give it to the function's ``filename``.
BUILT_PACKAGE = "${path.root}/" + BUILD_PATH
HANDLER = "handler.handler"
#: Lambda's Python runtime includes boto3, the handler's one dependency.
RUNTIME = "python3.12"
#: Cognito waits 5 seconds for a trigger; the handler's own AWS calls stop well before.
TIMEOUT_SECONDS = 5
MEMORY_MB = 128
#: The function's log lines name user names (Cognito's pseudonymous ``<provider>_<sub>``), never attributes.
LOG_RETENTION_DAYS = 30
#: The JSON list of the stack's Idura provider names, in the order the handler looks users up.
PROVIDER_NAMES_ENV = "IDURA_PROVIDER_NAMES"
#: What the function may do, on the stack's user pool only (no ListUsers: the names are deterministic).
POOL_ACTIONS = ("cognito-idp:AdminGetUser", "cognito-idp:AdminLinkProviderForUser")
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
#: Cognito invokes the function through this resource-based permission, from the stack's pool only.
INVOKER = "cognito-idp.amazonaws.com"
STATEMENT_ID = "cognito-pre-sign-up"

#: Names are per stack and deterministic: a prefix and the first hex digits of the SHA-256 of the escrow name,
#: which is unique per (Idura domain, client id), as a stack is. Lambda and IAM allow 64 characters.
NAME_PREFIX = "idura-cognito-link-"
NAME_HASH_DIGITS = 12

#: Its resources, under the same Terraform names in both renderings (definitions/addresses.py).
PACKAGE, ROLE, POLICY, LOG_GROUP, FUNCTION, PERMISSION = LINKING = (
    LINK_PACKAGE,
    LINK_ROLE,
    LINK_POLICY,
    LINK_LOG_GROUP,
    LINK_FUNCTION,
    LINK_PERMISSION,
)


def function_name(escrow_name: str) -> str:
    """``idura-cognito-link-3f2a...``: the function's, its role's and (under /aws/lambda/) its log group's name."""
    return NAME_PREFIX + hashlib.sha256(escrow_name.encode()).hexdigest()[:NAME_HASH_DIGITS]


def assume_role_policy() -> dict:
    """Lambda may assume the function's role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }


def role_policy(pool_arn: str, log_group_arn: str) -> dict:
    """The function's own permissions: the two Cognito calls on one pool, writing to its own log group."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": list(POOL_ACTIONS), "Resource": pool_arn},
            {"Effect": "Allow", "Action": list(LOG_ACTIONS), "Resource": f"{log_group_arn}:*"},
        ],
    }


def package() -> bytes:
    """The function's ZIP as the module's packager builds it (the one copy of the packaging code)."""
    return _packager().package((module_folder() / SOURCE).read_bytes())


def package_hash() -> str:
    """What Terraform's ``filebase64sha256()`` gives for the package: the function is updated when it changes."""
    return base64.b64encode(hashlib.sha256(package()).digest()).decode()


def write_package(root) -> None:
    """Build the package where the function's ``filename`` expects it under Terraform's working folder ``root``:
    deploy does this before applying, so that an apply which must create the function again (deleted outside
    Terraform, or a new machine) finds it although the build step is not replaced."""
    target = Path(root) / BUILD_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(package())
    os.replace(partial, target)


def source_hash() -> str:
    """The handler's SHA-256 (hex), as Terraform's ``filesha256()`` gives it: functions.tf records it, and a plan
    checks that the handler beside the module is the one the recorded package hash was built from."""
    return hashlib.sha256((module_folder() / SOURCE).read_bytes()).hexdigest()


@functools.cache
def _packager():
    spec = importlib.util.spec_from_file_location("idura_cognito_function_packager", module_folder() / PACKAGER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
