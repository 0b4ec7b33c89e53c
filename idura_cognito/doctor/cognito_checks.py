"""Cognito's side of the chain (boto3, honouring the stack's AWS endpoint) and the escrow."""

from __future__ import annotations

from typing import Any

from idura_verify.program import oidc

from .. import escrow
from ..config.model import LEGACY_CLIENT, StackConfig
from ..definitions import sign_out
from .results import CheckResult, failed, passed, skipped, warned


def _deploy(stack: StackConfig) -> str:
    return f"`idura-cognito deploy --stack {stack.name}`"


def _error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)


def pools_named(cognito: Any, name: str | None) -> list[str]:
    if not name:
        return []
    return [
        pool["Id"]
        for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
        for pool in page["UserPools"]
        if pool["Name"] == name
    ]


def user_pool(stack: StackConfig, cognito: Any, state_pool_id: str | None) -> tuple[list[CheckResult], str | None]:
    """The pool the stack's state holds (or the configured existing one), never a namesake; namesakes warn."""
    title = "The user pool exists and does not require email"
    namesakes = pools_named(cognito, stack.user_pool.name)
    pool_id = stack.user_pool.existing_id or state_pool_id
    by_name = ""
    if pool_id is None and len(namesakes) == 1:  # no state to ask: the one pool of that name
        pool_id, by_name = namesakes[0], " (found by its name: the stack's state holds no pool id)"
    if pool_id is None:
        if namesakes:
            detail = (
                f"the stack's state holds no user pool, but {len(namesakes)} pool(s) named {stack.user_pool.name!r} "
                f"exist ({', '.join(namesakes)})"
            )
            fix = f"`idura-cognito plan --stack {stack.name}` names the import that takes a cut-off run's pool back"
        else:
            detail, fix = "the stack's state holds no user pool (not deployed yet?)", _deploy(stack)
        return [failed("cognito.user_pool", title, detail, fix)], None
    try:
        pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    except Exception as exc:  # noqa: BLE001 - botocore error: one line
        where = "user_pool.existing_id" if stack.user_pool.existing_id else "the stack's state"
        return [
            failed(
                "cognito.user_pool",
                title,
                f"{pool_id} (from {where}): {_error_code(exc)}",
                "check the AWS account and region"
                + ("" if stack.user_pool.existing_id else f", then {_deploy(stack)}"),
            )
        ], None
    required = sorted(a["Name"] for a in pool.get("SchemaAttributes", []) if a.get("Required") and a["Name"] != "sub")
    results = []
    if required:
        results.append(
            failed(
                "cognito.user_pool",
                title,
                f"{pool_id} requires {', '.join(required)}; eID logins fail with "
                f"'Invalid user attributes: {required[0]}: The attribute is required'",
                "required attributes cannot be changed: use a new pool (user_pool.name) without them",
            )
        )
    else:
        results.append(passed("cognito.user_pool", title, pool_id + by_name))
    others = [other for other in namesakes if other != pool_id]
    if others:
        results.append(
            warned(
                "cognito.user_pool.namesakes",
                f"No other user pool is named {stack.user_pool.name!r}",
                f"{', '.join(others)} also carry this stack's pool name; the stack's state holds {pool_id}, which is "
                "the one checked here",
                "if a cut-off run left them, delete them once you have checked they hold no users",
            )
        )
    return results, pool_id


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
    for expected in stack.identity_providers:
        name = expected.name
        authorize_url = oidc.authorize_url(stack.idura.domain, expected.acr) if expected.acr else None
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
                ("authorize_scopes", " ".join(expected.scopes)),  # a pinned eID's own, where it has them
                ("authorize_url", authorize_url),
                ("attributes_request_method", "GET"),
            )
            if got.get(key) != want
        ]
        mapping = provider.get("AttributeMapping") or {}
        if mapping != expected.attributes:
            wrong.append(f"the attribute mapping is {mapping}, expected {expected.attributes}")
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


def secrets_match(
    stack: StackConfig, held: dict[str, dict[str, str]], escrowed: str | None, probe: str, escrow_current: bool | None
) -> CheckResult:
    """Escrow against Cognito's copies. Which side to repair from depends on which secret works: ``probe`` is
    what Idura said of Cognito's secret (accepted, rejected or unknown); ``escrow_current`` whether the escrow's
    Idura id is Idura's current one (None: cannot tell). A fix is printed only when following it repairs this."""
    title = "Cognito's identity providers hold the escrowed client secret"
    if escrowed is None:
        return skipped("cognito.secret", title, "no escrow to compare with")
    wrong = sorted(n for n, details in held.items() if details.get("client_secret", "") != escrowed)
    if not wrong:
        return passed("cognito.secret", title, f"digest {escrow.digest(escrowed)} in {len(held)} provider(s)")
    names = ", ".join(repr(n) for n in wrong)
    detail = f"the Cognito identity provider(s) {names} hold another secret than the escrow (digests differ)"
    if probe == "accepted" and len(wrong) == len(held):
        return failed(
            "cognito.secret",
            title,
            f"{detail}; Idura accepts Cognito's, so the escrow is the wrong one",
            f"`idura-cognito secret put --stack {stack.name} --from-cognito` escrows the secret Cognito holds "
            "(checked with Idura first); a deploy now would push the escrow's wrong secret into Cognito",
        )
    if escrow_current:
        return failed(
            "cognito.secret",
            title,
            detail,
            f"`idura-cognito deploy --stack {stack.name}` writes the escrowed secret into every provider",
        )
    return failed(
        "cognito.secret",
        title,
        f"{detail}; which one Idura accepts is not proven here (see the client secret check): if it is the "
        f"escrow's, `idura-cognito deploy --stack {stack.name}` writes it into Cognito; if it is Cognito's, "
        f"`idura-cognito secret put --stack {stack.name} --from-cognito` escrows it",
        "",
    )


def app_clients(
    stack: StackConfig, cognito: Any, pool_id: str, state_ids: dict[str, str] | None = None
) -> list[CheckResult]:
    """One check per app client: the one the stack's state holds (by id), else the one of its configured name."""
    listed: list[dict] | None = None
    results = []
    for client in stack.app_clients:
        client_id = (state_ids or {}).get(client.key)
        if client_id is None:
            listed = listed if listed is not None else _list_clients(cognito, pool_id)
            match = next((c for c in listed if c["ClientName"] == client.name), None)
            client_id = match["ClientId"] if match else None
        results.append(_app_client(stack, cognito, pool_id, client, client_id))
    return results


def _list_clients(cognito: Any, pool_id: str) -> list[dict]:
    pages = cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60)
    return [c for page in pages for c in page["UserPoolClients"]]


def _app_client(stack: StackConfig, cognito: Any, pool_id: str, settings, client_id: str | None) -> CheckResult:
    """Its providers, callback and sign-out URLs and flows as configured, and every attribute its providers map
    writable by it (Cognito refuses to update an attribute the client cannot write: that user's login fails)."""
    # 0.3's one client keeps its check id (scripts read the JSON report); keyed clients are named by their key.
    check = (
        "cognito.app_client"
        if len(stack.app_clients) == 1 and settings.key == LEGACY_CLIENT
        else f"cognito.app_client.{settings.key}"
    )
    title = f"App client {settings.name} offers its providers, URLs and flows, and may write every mapped attribute"
    if client_id is None:
        return failed(check, title, "no such client", _deploy(stack))
    try:
        client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    except Exception as exc:  # noqa: BLE001
        return failed(check, title, f"{client_id}: {_error_code(exc)}", _deploy(stack))
    problems = []
    offered = set(client.get("SupportedIdentityProviders") or [])
    wanted = set(stack.offered_providers(settings)) if settings.callback_urls else set()
    if wanted - offered:
        problems.append(f"missing providers {', '.join(sorted(wanted - offered))}")
    if sorted(client.get("CallbackURLs") or []) != sorted(settings.callback_urls):
        problems.append(f"callback URLs are {client.get('CallbackURLs') or []}")
    missing_sign_out = [u for u in sign_out.logout_urls(stack, settings) if u not in (client.get("LogoutURLs") or [])]
    if missing_sign_out:
        problems.append(f"sign-out URLs lack {', '.join(missing_sign_out)}")
    if sorted(client.get("AllowedOAuthFlows") or []) != sorted(settings.oauth_flows):
        problems.append(f"OAuth flows are {client.get('AllowedOAuthFlows') or []}")
    writable = client.get("WriteAttributes")
    if writable:  # none listed: Cognito's default, every writable attribute
        mapped = sorted(
            {a for p in stack.identity_providers if p.name in wanted for a in p.attributes if a != "username"}
        )
        unwritable = [a for a in mapped if a not in writable]
        if unwritable:
            problems.append(
                f"it may not write {', '.join(unwritable)}, which its identity providers map: Cognito then refuses "
                "to update them, and those users' next login fails"
            )
    if problems:
        return failed(check, title, "; ".join(problems), f"`idura-cognito deploy --stack {stack.name}`")
    return passed(check, title, client_id)


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


def managed_settings(stack: StackConfig, cognito: Any, pool_id: str) -> CheckResult:
    """Settings the config states (self sign-up, MFA, token lifetimes, flows, callback URLs, the managed login
    version, the providers' scopes and mapping) against what Cognito holds: someone changed them in the console.
    The same comparison adopt makes (idura_cognito/adopt.py), with every key taken as stated."""
    from ..adopt import AdoptError, decide, discover
    from ..config.fields import FIELD

    title = "Cognito holds the settings the config states"
    try:
        found = discover(cognito, stack, pool_id)
        decision = decide(stack, found, set(FIELD), "the config")
    except AdoptError as exc:
        return skipped("cognito.settings", title, str(exc))
    if not decision.differences:
        return passed("cognito.settings", title)
    keep = "; ".join(f"{d.key.replace('[]', '').replace('{}', '')} = {_shown(d.current)}" for d in decision.differences)
    return failed(
        "cognito.settings",
        title,
        "; ".join(d.shown() for d in decision.differences) + " (changed outside Terraform?)",
        f"`idura-cognito deploy --stack {stack.name}` puts the config's values back; to keep Cognito's instead, "
        f"write {keep} in the config",
    )


def _shown(value: Any) -> str:
    from ..adopt import show

    return show(value)
