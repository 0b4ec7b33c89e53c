"""The linking trigger (docs/linking.md): the pool's pre sign-up function is the stack's and can run.

A pool without it, or with a function that is gone or names other providers, signs one person up twice (the
picker and a pinned button): every login works, so nothing else would notice.
"""

from __future__ import annotations

import json
from typing import Any

from ..config.model import StackConfig
from ..definitions import linking
from .results import CheckResult, failed, passed, skipped, warned

ID = "cognito.linking"
TITLE = "One person is one Cognito user (the pre sign-up trigger links the picker and the pinned buttons)"


def _error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)


def trigger(stack: StackConfig, cognito: Any, lam: Any, pool_id: str) -> CheckResult:
    deploy = f"`idura-cognito deploy --stack {stack.name}`"
    try:
        config = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("LambdaConfig") or {}
    except Exception as exc:  # noqa: BLE001 - any AWS error is this check's answer
        return skipped(ID, TITLE, f"DescribeUserPool failed: {_error_code(exc)}")
    attached = config.get("PreSignUp")
    own = stack.user_pool.pre_sign_up_lambda_arn
    if own is not None:
        if attached != own:
            return failed(
                ID,
                TITLE,
                f"the pool's pre sign-up trigger is {attached or 'none'}, the config's user_pool."
                f"pre_sign_up_lambda_arn is {own}",
                f"{deploy} attaches the config's function",
            )
        return passed(ID, TITLE, f"the team's own function {own} is the trigger; it decides about linking")
    if not stack.links_federated_users:
        if len(stack.idp_names) < 2:
            return skipped(ID, TITLE, "one identity provider: nobody can become two users")
        if stack.user_pool.is_existing:
            shown = f"the pool's own trigger {attached}" if attached else "no trigger"
            return warned(
                ID,
                TITLE,
                f"an existing pool is left as it is ({shown}): a person who uses the picker and a pinned button "
                "becomes two users unless that trigger links them",
                "docs/linking.md: call the product's handler from your own trigger",
            )
        return skipped(
            ID, TITLE, "user_pool.link_federated_users = false: the picker and a pinned button make two users"
        )
    name = linking.function_name(stack.escrow_name)
    if not attached or attached.rsplit(":", 1)[-1] != name:
        return failed(
            ID,
            TITLE,
            f"the pool's pre sign-up trigger is {attached or 'none'}, not the stack's function {name}",
            f"{deploy} attaches it again",
        )
    try:
        function = lam.get_function_configuration(FunctionName=attached)
    except Exception as exc:  # noqa: BLE001
        return failed(
            ID,
            TITLE,
            f"the trigger {name} cannot be read ({_error_code(exc)}): Cognito refuses every first login",
            f"{deploy} creates it again (docs/linking.md, recovery)",
        )
    variables = (function.get("Environment") or {}).get("Variables") or {}
    try:
        names = json.loads(variables.get(linking.PROVIDER_NAMES_ENV, "null"))
    except ValueError:
        names = None
    if names != list(stack.idp_names):
        return failed(
            ID,
            TITLE,
            f"{name} links {names}, the stack's providers are {list(stack.idp_names)}",
            f"{deploy} updates its environment",
        )
    if function.get("State") == "Failed":
        return failed(ID, TITLE, f"{name} is in state Failed: {function.get('StateReason', '')}", deploy)
    return passed(ID, TITLE, f"{name} links {', '.join(stack.idp_names)}")
