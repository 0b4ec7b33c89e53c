"""Cognito's side of the chain (boto3, honouring the stack's AWS endpoint) and the escrow."""

from __future__ import annotations

from typing import Any

from idura_verify import oidc

from .. import escrow
from ..config.model import StackConfig
from .results import CheckResult, failed, passed, skipped


def _deploy(stack: StackConfig) -> str:
    return f"`idura-cognito deploy --stack {stack.name}`"


def _error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)


def find_user_pool(stack: StackConfig, cognito: Any) -> str | None:
    if stack.user_pool.existing_id:
        return stack.user_pool.existing_id
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == stack.user_pool.name:
                return pool["Id"]
    return None


def user_pool(stack: StackConfig, cognito: Any) -> tuple[CheckResult, str | None]:
    title = "The user pool exists and does not require email"
    pool_id = find_user_pool(stack, cognito)
    if pool_id is None:
        return failed(
            "cognito.user_pool",
            title,
            f"no user pool named {stack.user_pool.name!r}",
            f"`idura-cognito deploy --stack {stack.name}`, or fix user_pool.name / existing_id",
        ), None
    try:
        pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    except Exception as exc:  # noqa: BLE001 - botocore error: one line
        return failed(
            "cognito.user_pool",
            title,
            f"{pool_id}: {_error_code(exc)}",
            "check user_pool.existing_id and the AWS account/region",
        ), None
    required = sorted(a["Name"] for a in pool.get("SchemaAttributes", []) if a.get("Required") and a["Name"] != "sub")
    if required:
        return failed(
            "cognito.user_pool",
            title,
            f"{pool_id} requires {', '.join(required)}; eID logins fail with "
            f"'Invalid user attributes: {required[0]}: The attribute is required'",
            "required attributes cannot be changed: use a new pool (user_pool.name) without them",
        ), pool_id
    return passed("cognito.user_pool", title, pool_id), pool_id


def domain(stack: StackConfig, cognito: Any, pool_id: str | None) -> CheckResult:
    title = f"The Cognito domain {stack.cognito_host} exists on the pool"
    try:
        described = cognito.describe_user_pool_domain(Domain=stack.domain.cognito_domain)["DomainDescription"]
    except Exception as exc:  # noqa: BLE001
        return failed("cognito.domain", title, _error_code(exc), f"{_deploy(stack)}, or fix the domain settings")
    if not described:
        return failed("cognito.domain", title, "it does not exist", f"{_deploy(stack)}, or fix the domain settings")
    if pool_id and described.get("UserPoolId") != pool_id:
        return failed(
            "cognito.domain",
            title,
            f"it belongs to pool {described.get('UserPoolId')}, not {pool_id}",
            "use a domain of this pool",
        )
    return passed("cognito.domain", title, f"Idura must redirect to {stack.redirect_url}")


def identity_providers(
    stack: StackConfig, cognito: Any, pool_id: str
) -> tuple[list[CheckResult], dict[str, dict[str, str]]]:
    """One check per IdP against the config (drift: edited in the console); also returns each IdP's details."""
    results, held = [], {}
    expected_authorize = {stack.identity_provider.name: None}
    expected_authorize |= {e.name: oidc.authorize_url(stack.idura.domain, e.acr) for e in stack.pinned_eids}
    for name, authorize_url in expected_authorize.items():
        title = f"Identity provider {name} points at Idura"
        try:
            details = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName=name)
        except Exception as exc:  # noqa: BLE001
            results.append(failed(f"cognito.idp.{name}", title, _error_code(exc), _deploy(stack)))
            continue
        provider = details["IdentityProvider"]
        got = provider["ProviderDetails"]
        held[name] = got
        wrong = [
            f"{key} is {got.get(key)!r}, expected {want!r}"
            for key, want in (
                ("oidc_issuer", stack.idura.issuer),
                ("client_id", stack.idura.client_id),
                ("authorize_scopes", " ".join(stack.identity_provider.scopes)),
                ("authorize_url", authorize_url),
                ("attributes_request_method", "GET"),
            )
            if got.get(key) != want
        ]
        mapping = provider.get("AttributeMapping") or {}
        if mapping != dict(stack.identity_provider.attributes):
            wrong.append(f"the attribute mapping is {mapping}, expected {dict(stack.identity_provider.attributes)}")
        if wrong:
            results.append(
                failed(
                    f"cognito.idp.{name}",
                    title,
                    "; ".join(wrong),
                    f"someone changed it outside Terraform: `idura-cognito deploy --stack {stack.name}` puts it back",
                )
            )
        else:
            results.append(passed(f"cognito.idp.{name}", title))
    return results, held


def secrets_match(stack: StackConfig, held: dict[str, dict[str, str]], escrowed: str | None) -> CheckResult:
    title = "Every identity provider holds the escrowed client secret"
    if escrowed is None:
        return skipped("cognito.secret", title, "no escrow to compare with")
    wrong = sorted(n for n, details in held.items() if details.get("client_secret", "") != escrowed)
    if wrong:
        return failed(
            "cognito.secret",
            title,
            f"{', '.join(wrong)} hold a different secret (digests differ)",
            f"`idura-cognito deploy --stack {stack.name}` writes the escrowed secret into every provider",
        )
    return passed("cognito.secret", title, f"digest {escrow.digest(escrowed)} in {len(held)} provider(s)")


def app_client(stack: StackConfig, cognito: Any, pool_id: str) -> CheckResult:
    title = f"App client {stack.app_client.name} offers every provider and the configured callback URLs"
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    match = next((c for c in clients if c["ClientName"] == stack.app_client.name), None)
    if match is None:
        return failed("cognito.app_client", title, "no such client", _deploy(stack))
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=match["ClientId"])["UserPoolClient"]
    problems = []
    missing = [n for n in stack.idp_names if n not in client.get("SupportedIdentityProviders", [])]
    if missing:
        problems.append(f"missing providers {', '.join(missing)}")
    if sorted(client.get("CallbackURLs", [])) != sorted(stack.app_client.callback_urls):
        problems.append(f"callback URLs are {client.get('CallbackURLs', [])}")
    if problems:
        return failed("cognito.app_client", title, "; ".join(problems), f"`idura-cognito deploy --stack {stack.name}`")
    return passed("cognito.app_client", title, match["ClientId"])


def escrow_status(stack: StackConfig, secrets: Any) -> tuple[CheckResult, str | None, str]:
    """The escrow and, when readable, the secret and Idura secret id it holds (one JSON document)."""
    title = f"The escrow {stack.escrow_name} exists and is readable"
    fix = (
        f"`idura-cognito deploy --stack {stack.name}` (managed mode fills it)"
        if stack.idura.managed
        else f"run `{stack.secret_put_command()}`"
    )
    try:
        state = escrow.status(secrets, stack)
        content = escrow.read(secrets, stack) if state.exists else None
    except Exception as exc:  # noqa: BLE001
        return (
            failed("escrow", title, _error_code(exc), "grant secretsmanager:GetSecretValue on the escrow"),
            None,
            "",
        )
    if state.scheduled_deletion is not None:
        return (
            failed(
                "escrow",
                title,
                f"it is scheduled for deletion since {state.scheduled_deletion:%Y-%m-%d} (it is not missing: nothing "
                "rotates because of it)",
                f"restore it: `{escrow.restore_command(state.name)}`",
            ),
            None,
            "",
        )
    if content is None:
        return failed("escrow", title, "it does not exist", fix), None, ""
    when = state.last_changed.strftime("%Y-%m-%d %H:%M UTC") if state.last_changed else "unknown"
    held = f", Idura secret id {state.secret_id}" if state.secret_id else ""
    return (
        passed("escrow", title, f"last changed {when}, digest {state.digest}{held}"),
        content.secret,
        content.secret_id,
    )
