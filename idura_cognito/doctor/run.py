"""Run every check of one stack, in chain order, with injected clients (boto3, httpx, management)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from idura_verify.management import ManagementClient

from ..config.model import StackConfig
from . import cognito_checks, idura_checks
from .results import CheckResult, skipped


@dataclass
class Clients:
    cognito: Any
    secrets: Any
    http: httpx.Client
    management: ManagementClient | None


def run_checks(stack: StackConfig, clients: Clients) -> list[CheckResult]:
    results: list[CheckResult] = []
    idura, document = idura_checks.discovery(stack, clients.http)
    results += idura
    if document is not None:
        results += idura_checks.pinned_eids(stack, clients.http)
    results += idura_checks.mapped_claims(stack)
    escrow_check, escrowed, escrowed_id = cognito_checks.escrow_status(stack, clients.secrets)
    results += idura_checks.application(stack, clients.management, escrowed_id if stack.idura.managed else "")

    pool_check, pool_id = cognito_checks.user_pool(stack, clients.cognito)
    results.append(pool_check)
    results.append(cognito_checks.domain(stack, clients.cognito, pool_id))
    held: dict[str, dict[str, str]] = {}
    if pool_id is not None:
        idp_checks, held = cognito_checks.identity_providers(stack, clients.cognito, pool_id)
        results += idp_checks
        results.append(cognito_checks.secrets_match(stack, held, escrowed))
        results.append(cognito_checks.app_client(stack, clients.cognito, pool_id))
    else:
        results.append(skipped("cognito.idp", "Identity providers", "no user pool"))
    results.append(escrow_check)
    if document is not None:
        # Cognito's own copy, and only with the issuer that provider trusts: never a secret to another party.
        idura_provider = held.get(stack.identity_provider.name, {})
        secret, issuer = idura_provider.get("client_secret"), idura_provider.get("oidc_issuer")
        results.append(idura_checks.client_secret(stack, clients.http, document, secret, issuer))
    return results
