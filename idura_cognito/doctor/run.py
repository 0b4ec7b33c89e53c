"""Run every check of one stack, in chain order, with injected clients (boto3, httpx, management).

The Cognito checks look at what the stack's state says it deployed (``DeployedIds``), never at a namesake. A
check that meets an answer it cannot read (a malformed discovery document, an odd host) becomes one FAIL line,
not a crash of the whole report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from idura_verify.program.management import ManagementClient

from .. import escrow
from ..config.model import StackConfig
from . import cognito_checks, domain_checks, idura_checks, linking_checks, managed_login_checks
from .results import CheckResult, failed, skipped

T = TypeVar("T")


@dataclass
class Clients:
    cognito: Any
    secrets: Any
    http: httpx.Client
    management: ManagementClient | None
    #: Lambda, for the linking trigger's check (None: that check is skipped).
    lam: Any = None
    #: ACM in us-east-1, for a custom domain's certificate (None: that check is skipped).
    acm_us_east_1: Any = None


@dataclass(frozen=True)
class Deployed:
    """Ids from the stack's state outputs (None: not deployed, or the state could not be read)."""

    user_pool_id: str | None = None
    #: Client key -> the app client's id.
    app_client_ids: dict[str, str] | None = None


def guarded(check_id: str, title: str, run: Callable[[], T], fallback: T) -> tuple[T, CheckResult | None]:
    """``run()``, or ``fallback`` and one FAIL line when it raises (never a traceback for a server's answer)."""
    try:
        return run(), None
    except Exception as exc:  # noqa: BLE001 - one check's surprise must not hide every other check
        return fallback, failed(check_id, title, f"the check could not run: {type(exc).__name__}", "")


def run_checks(stack: StackConfig, clients: Clients, deployed: Deployed | None = None) -> list[CheckResult]:
    deployed = deployed or Deployed()
    results: list[CheckResult] = []
    (idura, document), crash = guarded(
        "idura.discovery",
        "Idura discovery answers over HTTPS",
        lambda: idura_checks.discovery(stack, clients.http),
        ([], None),
    )
    results += idura + ([crash] if crash else [])
    if document is not None:
        results += idura_checks.pinned_eids(stack, clients.http)
    results += idura_checks.mapped_claims(stack)
    escrow_check, escrowed, escrowed_id = cognito_checks.escrow_status(stack, clients.secrets)
    application = idura_checks.application(stack, clients.management, escrowed_id if escrowed is not None else None)
    results += application
    escrow_current = next((r.status == "pass" for r in application if r.id == "idura.escrow_current"), None)

    pool_checks, pool_id = cognito_checks.user_pool(stack, clients.cognito, deployed.user_pool_id)
    results += pool_checks
    results.append(cognito_checks.domain(stack, clients.cognito, pool_id))
    if stack.domain.kind != "prefix":
        certificate, crash = guarded(
            domain_checks.ID,
            domain_checks.TITLE,
            lambda: domain_checks.certificate(stack, clients.cognito, clients.acm_us_east_1),
            None,
        )
        results.append(certificate or crash)
    held: dict[str, dict[str, str]] = {}
    probe_result, probe = None, "skipped"
    if pool_id is not None:
        idp_checks, held = cognito_checks.identity_providers(stack, clients.cognito, pool_id)
        results += idp_checks
    if document is not None:
        # Cognito's own copy, and only with the issuer that provider trusts: never a secret to another party.
        idura_provider = held.get(stack.identity_provider.name, {})
        secret, issuer = idura_provider.get("client_secret"), idura_provider.get("oidc_issuer")
        (probe_result, probe), crash = guarded(
            "idura.client_secret",
            "Idura accepts the client secret Cognito holds (client_secret_post)",
            lambda: idura_checks.client_secret(stack, clients.http, document, secret, issuer),
            (None, "unknown"),
        )
        probe_result = probe_result or crash
    if escrow_current and escrowed is not None and document is not None:
        # The escrow's id says current; the secret itself must say so too, or the two checks would disagree (an
        # escrow pairing an old secret with a new id passes by its id and fails at Idura's token endpoint).
        verdict = probe if escrowed == secret else _probe_escrowed(stack, clients.http, document, escrowed)
        if verdict == "rejected":
            refused = idura_checks.escrow_refused(stack, cognito_accepted=probe == "accepted")
            results = [refused if r.id == "idura.escrow_current" else r for r in results]
            escrow_current = False
    if pool_id is not None:
        results.append(cognito_checks.secrets_match(stack, held, escrowed, probe, escrow_current))
        results += cognito_checks.app_clients(stack, clients.cognito, pool_id, deployed.app_client_ids)
        if clients.lam is not None:
            results.append(linking_checks.trigger(stack, clients.cognito, clients.lam, pool_id))
        if stack.domain.managed_login_version == 2:
            results.append(managed_login_checks.styles(stack, clients.cognito, pool_id, deployed.app_client_ids))
        settings, crash = guarded(
            "cognito.settings",
            "Cognito holds the settings the config states",
            lambda: cognito_checks.managed_settings(stack, clients.cognito, pool_id),
            None,
        )
        results.append(settings or crash)
    else:
        results.append(skipped("cognito.idp", "Identity providers", "no user pool"))
    results.append(escrow_check)
    if probe_result is not None:
        results.append(probe_result)
    return results


def _probe_escrowed(stack: StackConfig, http: httpx.Client, document: dict, escrowed: str) -> str:
    """What Idura says of the escrow's own secret (only to the issuer's own token endpoint)."""
    endpoint = document.get("token_endpoint")
    if not escrow.same_origin(endpoint, stack.idura.issuer):
        return "skipped"
    return escrow.probe_secret(http, str(endpoint), stack, escrowed)
