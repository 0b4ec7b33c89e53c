"""Where the client secret is, and the leak check: read it from every place that holds it (the escrow, each
Cognito identity provider), and assert that no secret and not the management token appears in what a run
printed, logged or wrote."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

#: The emulator's management token: recognisable, so leak checks can search for it.
TEST_TOKEN = "IDURA-TEST-TOKEN-b7c1e9d24a"  # noqa: S105


def escrow_document(boto, escrow_name: str) -> dict:
    """The escrow's JSON document (``client_secret``, and ``idura_secret_id`` in managed mode)."""
    return json.loads(boto("secretsmanager").get_secret_value(SecretId=escrow_name)["SecretString"])


def escrowed_secret(boto, escrow_name: str) -> str:
    return escrow_document(boto, escrow_name)["client_secret"]


def cognito_secret(boto, pool_id: str, provider: str = "Idura") -> str:
    """The client secret Cognito holds for the identity provider ``provider``."""
    held = boto("cognito-idp").describe_identity_provider(UserPoolId=pool_id, ProviderName=provider)
    return held["IdentityProvider"]["ProviderDetails"]["client_secret"]


def cognito_secrets(boto, pool_id: str) -> dict[str, str]:
    """Every identity provider of the pool, by name, with the client secret Cognito holds for it."""
    providers = boto("cognito-idp").list_identity_providers(UserPoolId=pool_id)["Providers"]
    return {p["ProviderName"]: cognito_secret(boto, pool_id, p["ProviderName"]) for p in providers}


def assert_not_shown(texts: str | Iterable[str], *secrets: str) -> None:
    """No value of ``secrets`` occurs in ``texts`` (one text, or several: outputs, logs, files read as text).
    The search must have something to search: an empty text proves nothing."""
    text = texts if isinstance(texts, str) else "\n".join(texts)
    assert text, "nothing to search: no output was recorded"
    for index, secret in enumerate(secrets):
        assert secret, f"secret {index} is empty: searching for it proves nothing"
        assert secret not in text, f"secret {index} ({len(secret)} characters) appears in the text"


def files_holding(folder: Path, *secrets: str) -> list[Path]:
    """The files under ``folder`` whose bytes contain any value of ``secrets``."""
    needles = [secret.encode() for secret in secrets]
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    ]
