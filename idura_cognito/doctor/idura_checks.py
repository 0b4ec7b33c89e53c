"""Idura's side of the chain: discovery, issuer, client authentication, pinned eIDs, the application."""

from __future__ import annotations

from typing import Any

import httpx

from idura_verify import eids
from idura_verify.program import oidc
from idura_verify.program.management import ManagementClient, ManagementError

from ..config import eid_checks
from ..config.model import StackConfig
from ..definitions import sign_out
from ..escrow import probe_secret, same_origin
from .results import CheckResult, failed, passed, skipped, warned

#: What the secret probe rests on; its output says so.
PROBE_ASSUMPTION = (
    "assumes Idura authenticates the client before it looks at the code, as OAuth 2.0 (RFC 6749 section 5.2) "
    "describes; Idura does not document the order"
)


def discovery(stack: StackConfig, http: httpx.Client) -> tuple[list[CheckResult], dict[str, Any] | None]:
    url = oidc.discovery_url(stack.idura.domain)
    title = "Idura discovery answers over HTTPS"
    try:
        response = http.get(url)
        document = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        fix = f"check idura.domain ({stack.idura.domain}) and that this machine reaches it over HTTPS"
        if "CERTIFICATE_VERIFY_FAILED" in str(exc):
            fix = "the certificate is not trusted: set IDURA_CA_BUNDLE to the CA that signed it"
        return [failed("idura.discovery", title, f"GET {url}: {type(exc).__name__}", fix)], None
    if not isinstance(document, dict):
        return [
            failed(
                "idura.discovery",
                title,
                f"GET {url}: HTTP {response.status_code}",
                f"check idura.domain ({stack.idura.domain}): it is not an Idura domain",
            )
        ], None
    results = [passed("idura.discovery", title, url)]
    issuer = document.get("issuer")
    if issuer == stack.idura.issuer:
        results.append(passed("idura.issuer", "Idura's issuer is the one Cognito trusts", issuer))
    else:
        results.append(
            failed(
                "idura.issuer",
                "Idura's issuer is the one Cognito trusts",
                f"discovery says {issuer!r}, Cognito trusts {stack.idura.issuer!r}",
                "set idura.domain to the domain in Idura's issuer (no path, no trailing slash)",
            )
        )
    methods = document.get("token_endpoint_auth_methods_supported")
    if methods is not None and "client_secret_post" not in methods:
        results.append(
            warned(
                "idura.client_secret_post",
                "Idura's discovery lists client_secret_post",
                f"it lists {', '.join(methods) or 'nothing'}; Cognito sends the secret with client_secret_post "
                "and does not read this list, so logins may still work (the secret probe below tells)",
            )
        )
    results += pinned_acrs(stack, document)
    return results, document


def pinned_acrs(stack: StackConfig, document: dict) -> list[CheckResult]:
    """Every pinned acr must be enabled on the domain: discovery lists the enabled ones."""
    supported = document.get("acr_values_supported")
    results = []
    for eid in stack.pinned_eids:
        title = f"The eID of {eid.name} is enabled on the Idura domain"
        if not isinstance(supported, list):
            results.append(skipped(f"idura.acr.{eid.name}", title, "discovery lists no acr_values_supported"))
        elif eid.acr in supported:
            results.append(passed(f"idura.acr.{eid.name}", title, eid.acr))
        else:
            results.append(
                failed(
                    f"idura.acr.{eid.name}",
                    title,
                    f"{eid.acr} is not among the domain's acr values; logins through {eid.name} fail",
                    "enable the eID on the domain in Idura's dashboard, or fix pinned_eids acr (README acr table)",
                )
            )
    return results


def mapped_claims(stack: StackConfig) -> list[CheckResult]:
    """Each pinned eID's mapping against what it sends with its scopes (the loader's own check, eid_checks): a
    claim it does not always send leaves that attribute empty for some of its users."""
    results = []
    for provider in stack.identity_providers:
        entry = eids.BY_ACR.get(provider.acr) if provider.acr else None
        if entry is None or set(provider.attributes) <= {"username"}:
            continue
        findings = eid_checks.mapping_findings(entry, provider.scopes, provider.attributes)
        title = f"{provider.name} sends every mapped claim"
        if findings:
            results.append(
                warned(
                    f"idura.claims.{provider.name}",
                    title,
                    "; ".join(eid_checks.describe(entry, f) for f in findings),
                    "map a claim this eID sends (pinned_eids attributes), or give it the scope named; the claims per "
                    "eID: docs/idura-fidelity.md",
                )
            )
        else:
            results.append(passed(f"idura.claims.{provider.name}", title, entry.scheme or entry.eid))
    return results


def client_secret(
    stack: StackConfig, http: httpx.Client, document: dict, secret: str | None, issuer: str | None
) -> tuple[CheckResult, str]:
    """Authenticate at the token endpoint exactly as Cognito does, with a code that cannot exist.

    The secret goes only to the configured Idura issuer's own https token endpoint (same host and port), and
    only when the identity provider it came from trusts that issuer. Only ``invalid_grant`` means the client
    authenticated; the result names the assumption it rests on. Also returns the verdict: accepted, rejected,
    unknown or skipped.
    """
    title = "Idura accepts the client secret Cognito holds (client_secret_post)"
    check_id = "idura.client_secret"
    if not secret:
        return skipped(check_id, title, "Cognito holds no secret to try (see the Cognito checks)"), "skipped"
    token_endpoint = document.get("token_endpoint")
    if not same_origin(token_endpoint, stack.idura.issuer) or issuer != stack.idura.issuer:
        return skipped(
            check_id,
            title,
            "the secret is sent only to the configured Idura issuer's https token endpoint (same host and port), "
            "and the provider or discovery points elsewhere (see the checks above)",
        ), "skipped"
    verdict = probe_secret(http, str(token_endpoint), stack, secret)
    if verdict == "rejected":
        fix = "the secret is not the application's current one: " + (
            f"run `idura-cognito secret rotate --stack {stack.name}`, then `idura-cognito deploy --stack {stack.name}`"
            if stack.idura.managed
            else f"issue a new one in Idura's dashboard, `{stack.secret_put_command()}`, then deploy"
        )
        return failed(check_id, title, f"Idura answered invalid_client; {PROBE_ASSUMPTION}", fix), verdict
    if verdict == "accepted":
        return passed(check_id, title, f"client authenticated, the probe code refused ({PROBE_ASSUMPTION})"), verdict
    if verdict.startswith("unreachable:"):
        return failed(
            check_id, title, f"token endpoint: {verdict.split(':', 1)[1]}", "check that Idura is reachable"
        ), ("unknown")
    return warned(
        check_id,
        title,
        f"inconclusive: {verdict.removeprefix('unknown:')}; {PROBE_ASSUMPTION}",
        "try a real login; if it fails at the token step, rotate the secret",
    ), "unknown"


def pinned_eids(stack: StackConfig, http: httpx.Client) -> list[CheckResult]:
    results = []
    for eid in stack.pinned_eids:
        url = oidc.discovery_url(stack.idura.domain, eid.acr)
        title = f"Idura answers for pinned eID {eid.name} ({eid.acr})"
        try:
            status = http.get(url).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        if status == 200:
            results.append(passed(f"idura.pinned.{eid.name}", title, url))
        else:
            results.append(
                failed(
                    f"idura.pinned.{eid.name}",
                    title,
                    f"GET {url}: {status}",
                    f"check the acr value of {eid.name}: the eID must be enabled on the domain",
                )
            )
    return results


APPLICATION_CHECKS = {
    "idura.application": "The application exists at Idura",
    "idura.redirect_url": "Cognito's redirect URL is registered at Idura",
    "idura.code_flow": "The OAuth2 code flow is on",
    "idura.userinfo_strategy": "The user info response strategy is plainJson",
}


def find_application(stack: StackConfig, management: ManagementClient | None) -> tuple[CheckResult | None, Any]:
    """(the existence check, the application): a failed or skipped check and no application when it is not
    known; (passed, application) when it is."""
    check, title = "idura.application", APPLICATION_CHECKS["idura.application"]
    if management is None:
        why = "no management credentials (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN): check in the dashboard"
        return skipped(check, title, why), None
    try:
        app = management.find(stack.idura.domain, stack.idura.client_id)
    except ManagementError as exc:
        return failed(check, title, str(exc), "check IDURA_MANAGEMENT_URL and IDURA_MANAGEMENT_TOKEN"), None
    if app is None:
        fix = (
            f"run `idura-cognito deploy --stack {stack.name}` (managed mode creates it)"
            if stack.idura.managed
            else f"register client id {stack.idura.client_id} in Idura's dashboard"
        )
        return failed(check, title, f"no application {stack.idura.client_id} on {stack.idura.domain}", fix), None
    return passed(check, title, f"{app.name} ({app.id})"), app


def application(
    stack: StackConfig, management: ManagementClient | None, escrowed_secret_id: str | None = None
) -> list[CheckResult]:
    """The application's settings at Idura (drift: changed in the dashboard), and whether the escrow holds
    Idura's current secret (its recorded id against Idura's)."""
    found, app = find_application(stack, management)
    if app is None:
        if found is not None and found.status == "skip":
            return [skipped(check, title, found.detail) for check, title in APPLICATION_CHECKS.items()]
        return [found] if found is not None else []
    checks = [found, redirect_url(stack, app), code_flow(stack, app), userinfo_strategy(stack, app)]
    checks += sign_out_urls(stack, app)
    return [*checks, *escrow_current(stack, app, escrowed_secret_id)]


def sign_out_urls(stack: StackConfig, app: Any) -> list[CheckResult]:
    """Each client's sign_out URL must be one of the application's callback URLs at Idura, or Idura's end-session
    endpoint will not send the browser back there (definitions/sign_out.py)."""
    wanted = sign_out.post_logout_urls(stack)
    if not wanted:
        return []
    check, title = "idura.sign_out", "Every sign-out URL is registered at Idura"
    missing = [u for u in wanted if u not in app.return_urls]
    if not missing:
        return [passed(check, title, ", ".join(wanted))]
    fix = (
        f"run `idura-cognito deploy --stack {stack.name}` (the program registers them)"
        if stack.idura.managed
        else f"in Idura's dashboard, add {', '.join(missing)} to the Callback URLs of application "
        f"{stack.idura.client_id} (Idura's one list for redirect and post-logout URLs)"
    )
    return [failed(check, title, f"{', '.join(missing)} not registered: sign-out ends at Idura's page", fix)]


def _repair(stack: StackConfig) -> str:
    if stack.idura.managed:
        return f"run `idura-cognito deploy --stack {stack.name}` (the program repairs it)"
    return "change it in Idura's dashboard"


def redirect_url(stack: StackConfig, app: Any) -> CheckResult:
    check, title = "idura.redirect_url", APPLICATION_CHECKS["idura.redirect_url"]
    if stack.redirect_url in app.return_urls:
        return passed(check, title, stack.redirect_url)
    registered = ", ".join(app.return_urls) or "none"
    return failed(
        check,
        title,
        f"{stack.redirect_url} is missing (registered: {registered})",
        f"add {stack.redirect_url}: {_repair(stack)}",
    )


def code_flow(stack: StackConfig, app: Any) -> CheckResult:
    check, title = "idura.code_flow", APPLICATION_CHECKS["idura.code_flow"]
    return passed(check, title) if app.code_flow else failed(check, title, "off", f"turn it on: {_repair(stack)}")


def userinfo_strategy(stack: StackConfig, app: Any) -> CheckResult:
    check, title = "idura.userinfo_strategy", APPLICATION_CHECKS["idura.userinfo_strategy"]
    if app.user_info_strategy == oidc.USERINFO_STRATEGY:
        return passed(check, title)
    return failed(
        check,
        title,
        f"it is {app.user_info_strategy}; Cognito fails with 'invalid token_type in idp oauth response'",
        f"set it to plainJson (Idura's documented fix): {_repair(stack)}",
    )


def escrow_current(stack: StackConfig, app: Any, escrowed_secret_id: str | None) -> list[CheckResult]:
    """Managed mode: PASS only with proof, the escrow's recorded id equal to Idura's current one. No escrow
    (None): its own check says so."""
    check, title = "idura.escrow_current", "The escrow holds Idura's current secret"
    if not stack.idura.managed or escrowed_secret_id is None:
        return []
    deploy = f"`idura-cognito deploy --stack {stack.name}`"
    if not escrowed_secret_id:
        return [
            failed(
                check,
                title,
                "the escrowed secret has no Idura id, so nothing shows it is the current one (a secret put by hand, "
                "an escrow from 0.1)",
                f"{deploy} issues a new secret and stores it with its id everywhere",
            )
        ]
    if app.secret_id == escrowed_secret_id:
        return [passed(check, title, escrowed_secret_id)]
    return [
        failed(
            check,
            title,
            f"the escrow holds {escrowed_secret_id}, Idura's current secret is {app.secret_id}: someone issued a "
            "new one, so the escrowed copy no longer works",
            f"{deploy} (it issues one and stores it everywhere)",
        )
    ]


def escrow_refused(stack: StackConfig, cognito_accepted: bool) -> CheckResult:
    """The escrow records Idura's current secret id, but Idura refuses the secret stored with it. The fix repairs
    from the copy that works: Cognito's when Idura accepts it, else a new secret."""
    fix = (
        f"`idura-cognito secret put --stack {stack.name} --from-cognito` escrows the secret Cognito holds"
        if cognito_accepted
        else f"`idura-cognito secret rotate --stack {stack.name}`, then `idura-cognito deploy --stack {stack.name}`"
    )
    return failed(
        "idura.escrow_current",
        "The escrow holds Idura's current secret",
        "the escrow records Idura's current secret id, but Idura answers invalid_client for the secret stored with "
        "it: the escrow pairs a wrong or old secret with the current id",
        fix,
    )
