"""Idura's side of the chain: discovery, issuer, client authentication, pinned eIDs, the application."""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from idura_verify import oidc
from idura_verify.management import ManagementClient, ManagementError

from ..config.model import StackConfig
from .results import CheckResult, failed, passed, skipped, warned

PLAIN_JSON = "plainJson"


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
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_post" not in methods:
        results.append(
            failed(
                "idura.client_secret_post",
                "Idura's token endpoint accepts client_secret_post",
                f"supported: {', '.join(methods)}",
                "Cognito authenticates with client_secret_post only; enable it for the domain",
            )
        )
    return results, document


def client_secret(stack: StackConfig, http: httpx.Client, document: dict, secret: str | None) -> CheckResult:
    """Authenticate at the token endpoint exactly as Cognito does, with a code that cannot exist.

    invalid_grant means the client id and secret were accepted; invalid_client means they were not. The secret
    goes only to Idura's token endpoint, over TLS, as Cognito sends it; it is never shown.
    """
    title = "Idura accepts the client secret Cognito holds (client_secret_post)"
    if not secret:
        return skipped(
            "idura.client_secret_post", title, "Cognito holds no secret to try (see the Cognito checks)"
        )
    form = {
        "grant_type": "authorization_code",
        "code": f"doctor-{secrets.token_hex(8)}",
        "redirect_uri": stack.redirect_url,
        "client_id": stack.idura.client_id,
        "client_secret": secret,
    }
    try:
        response = http.post(document["token_endpoint"], data=form)
        error = response.json().get("error") if response.content else None
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return failed(
            "idura.client_secret_post",
            title,
            f"token endpoint: {type(exc).__name__}",
            "check that Idura's token endpoint is reachable",
        )
    if error == "invalid_client" or response.status_code == 401:
        fix = "the secret is not the application's current one: " + (
            "run `idura-cognito secret rotate --stack " + stack.name + "` and apply"
            if stack.idura.managed
            else f"issue a new one in Idura's dashboard, `{stack.secret_put_command()}`, then apply"
        )
        return failed("idura.client_secret_post", title, "Idura answered invalid_client", fix)
    if error == "invalid_grant" or response.status_code == 400:
        return passed("idura.client_secret_post", title, "client authenticated (the probe code was refused)")
    return warned("idura.client_secret_post", title, f"unexpected answer HTTP {response.status_code}")


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


def application(stack: StackConfig, management: ManagementClient | None) -> list[CheckResult]:
    titles = {
        "idura.application": "The application exists at Idura",
        "idura.redirect_url": "Cognito's redirect URL is registered at Idura",
        "idura.code_flow": "The OAuth2 code flow is on",
        "idura.userinfo_strategy": "The user info response strategy is plainJson",
    }
    if management is None:
        why = "no management credentials (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN): check in the dashboard"
        return [skipped(check, title, why) for check, title in titles.items()]
    try:
        app = management.find(stack.idura.domain, stack.idura.client_id)
    except ManagementError as exc:
        return [
            failed(
                "idura.application",
                titles["idura.application"],
                str(exc),
                "check IDURA_MANAGEMENT_URL and IDURA_MANAGEMENT_TOKEN",
            )
        ]
    if app is None:
        fix = (
            "apply the stack (managed mode creates it)"
            if stack.idura.managed
            else f"register client id {stack.idura.client_id} in Idura's dashboard"
        )
        return [
            failed(
                "idura.application",
                titles["idura.application"],
                f"no application {stack.idura.client_id} on {stack.idura.domain}",
                fix,
            )
        ]
    apply_fix = (
        "apply the stack (the program repairs it)" if stack.idura.managed else "change it in Idura's dashboard"
    )
    results = [passed("idura.application", titles["idura.application"], f"{app.name} ({app.id})")]
    if stack.redirect_url in app.return_urls:
        results.append(passed("idura.redirect_url", titles["idura.redirect_url"], stack.redirect_url))
    else:
        results.append(
            failed(
                "idura.redirect_url",
                titles["idura.redirect_url"],
                f"{stack.redirect_url} is missing (registered: {', '.join(app.return_urls) or 'none'})",
                f"add {stack.redirect_url}: {apply_fix}",
            )
        )
    if app.code_flow:
        results.append(passed("idura.code_flow", titles["idura.code_flow"]))
    else:
        results.append(failed("idura.code_flow", titles["idura.code_flow"], "off", f"turn it on: {apply_fix}"))
    if app.user_info_strategy == PLAIN_JSON:
        results.append(passed("idura.userinfo_strategy", titles["idura.userinfo_strategy"]))
    else:
        results.append(
            failed(
                "idura.userinfo_strategy",
                titles["idura.userinfo_strategy"],
                f"it is {app.user_info_strategy}; Cognito fails with 'invalid token_type in idp oauth response'",
                f"set it to plainJson (Idura's documented fix): {apply_fix}",
            )
        )
    return results
