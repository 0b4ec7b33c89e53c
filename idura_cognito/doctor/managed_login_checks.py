"""Managed login (version 2) shows pages only for an app client with a branding style
(idura_cognito/definitions/managed_login.py): each client a person logs in to must have one."""

from __future__ import annotations

from typing import Any

from ..config.model import StackConfig
from ..definitions import managed_login
from .results import CheckResult, failed, passed, skipped

ID = "cognito.managed_login"
TITLE = "Every app client with a login has a managed login style (version 2 shows no pages without one)"


def styles(stack: StackConfig, cognito: Any, pool_id: str, client_ids: dict[str, str] | None) -> CheckResult:
    if stack.domain.managed_login_version != 2:
        return skipped(ID, TITLE, "managed login version 1: the classic hosted UI needs no style")
    clients = managed_login.login_clients(stack)
    if not client_ids:
        return skipped(ID, TITLE, "the stack's state names no app client ids yet")
    missing = []
    for client in clients:
        client_id = client_ids.get(client.key)
        if client_id is None:
            continue
        try:
            cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
        except Exception as exc:  # noqa: BLE001 - any AWS answer but a style is this check's finding
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            missing.append(f"{client.name} ({code})")
    if missing:
        return failed(
            ID,
            TITLE,
            f"no style for {', '.join(missing)}: Cognito shows those clients no login page",
            "with CDK Terrain, `idura-cognito deploy` creates Cognito's default style; otherwise create one in the "
            "console (Branding > Managed login > Create a style) or "
            f"`aws cognito-idp create-managed-login-branding --user-pool-id {pool_id} --client-id <id> "
            "--use-cognito-provided-values`",
        )
    return passed(ID, TITLE, ", ".join(c.name for c in clients))
