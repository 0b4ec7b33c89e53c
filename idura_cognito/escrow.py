"""The escrowed client secret in AWS Secrets Manager, outside Terraform (secret put/rotate/status, doctor, adopt).

The escrow's value is one JSON document, ``{"client_secret": "...", "idura_secret_id": "sec_..."}``: the secret
and Idura's id of it are written by one call and read by one call, so no interruption can leave a live id next
to a dead secret. A plain string (written before 0.2) reads as a secret with an unknown id.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .config.model import StackConfig
from .definitions.naming import MANAGED_BY_TAG

MAX_SECRET_LENGTH = 4096


class SecretInputError(ValueError):
    """The secret given is unusable. The message never contains the secret."""


def check_secret(secret: str) -> str:
    """Strip one trailing newline (as ``echo`` and heredocs add) and reject unusable values."""
    value = secret.removesuffix("\n").removesuffix("\r")
    if not value:
        raise SecretInputError("the client secret is empty")
    if len(value) > MAX_SECRET_LENGTH:
        raise SecretInputError(f"the client secret is longer than {MAX_SECRET_LENGTH} characters")
    if any(not c.isprintable() or c.isspace() for c in value):
        raise SecretInputError("the client secret contains whitespace or control characters")
    return value


def digest(secret: str) -> str:
    """A short fingerprint to compare secrets by, never the secret: first 12 hex of SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def document(secret: str, secret_id: str | None) -> str:
    """The escrow's value: the secret and (managed mode) Idura's id of it, as one JSON string."""
    content = {"client_secret": secret}
    if secret_id:
        content["idura_secret_id"] = secret_id
    return json.dumps(content)


@dataclass(frozen=True)
class EscrowContent:
    secret: str
    secret_id: str  # "" when unknown


def parse(value: str) -> EscrowContent:
    """Read a JSON document as written by :func:`document` or by Terraform; a plain string is the secret."""
    try:
        content = json.loads(value)
    except ValueError:
        return EscrowContent(value, "")
    if not isinstance(content, dict) or not isinstance(content.get("client_secret"), str):
        return EscrowContent(value, "")
    secret_id = content.get("idura_secret_id")
    return EscrowContent(content["client_secret"], secret_id if isinstance(secret_id, str) else "")


@dataclass(frozen=True)
class EscrowWrite:
    name: str
    version_id: str
    created: bool


@dataclass(frozen=True)
class EscrowStatus:
    name: str
    exists: bool
    scheduled_deletion: datetime | None = None  # the escrow exists but is scheduled for deletion
    last_changed: datetime | None = None
    digest: str | None = None
    secret_id: str = ""


def put_secret(client: Any, stack: StackConfig, secret: str, secret_id: str | None = None) -> EscrowWrite:
    """Create the escrow or add a new current version (one call: secret and id together); restores an escrow
    that is scheduled for deletion first."""
    name = stack.escrow_name
    value = document(secret, secret_id)
    existing = describe(client, name)
    if existing is None:
        tags = [{"Key": k, "Value": v} for k, v in {**stack.tags, **MANAGED_BY_TAG}.items()]
        extra = {"KmsKeyId": stack.escrow.kms_key_id} if stack.escrow.kms_key_id else {}
        response = client.create_secret(
            Name=name,
            SecretString=value,
            Description=f"Idura client secret of {stack.idura.client_id} on {stack.idura.domain} (idura-cognito)",
            Tags=tags,
            **extra,
        )
        return EscrowWrite(name, response["VersionId"], created=True)
    if existing.get("DeletedDate"):
        client.restore_secret(SecretId=name)
    response = client.put_secret_value(SecretId=name, SecretString=value)
    return EscrowWrite(name, response["VersionId"], created=False)


def read(client: Any, stack: StackConfig) -> EscrowContent | None:
    """The escrow's content, or None when it does not exist (or is scheduled for deletion)."""
    described = describe(client, stack.escrow_name)
    if described is None or described.get("DeletedDate"):
        return None
    return parse(client.get_secret_value(SecretId=stack.escrow_name)["SecretString"])


def status(client: Any, stack: StackConfig) -> EscrowStatus:
    name = stack.escrow_name
    described = describe(client, name)
    if described is None:
        return EscrowStatus(name, exists=False)
    if described.get("DeletedDate"):
        return EscrowStatus(name, exists=False, scheduled_deletion=described["DeletedDate"])
    content = parse(client.get_secret_value(SecretId=name)["SecretString"])
    changed = described.get("LastChangedDate") or described.get("CreatedDate")
    return EscrowStatus(
        name, exists=True, last_changed=changed, digest=digest(content.secret), secret_id=content.secret_id
    )


def restore_command(name: str) -> str:
    return f"aws secretsmanager restore-secret --secret-id {name}"


def describe(client: Any, name: str) -> dict | None:
    try:
        return client.describe_secret(SecretId=name)
    except client.exceptions.ResourceNotFoundException:
        return None


# -- proving that a secret is Idura's current one, and which id it has ------------------------------------------


@dataclass(frozen=True)
class Proof:
    """What Idura said of a secret: ``verdict`` accepted, rejected, unreachable:<why>, unknown:<what> or skipped;
    ``secret_id`` Idura's id of it, only when accepted and the id was the same before and after the probe."""

    verdict: str
    secret_id: str | None = None
    why_no_id: str = ""


def prove(stack: StackConfig, secret: str, management: Any | None) -> Proof:
    """Send ``secret`` to the Idura issuer's own token endpoint as Cognito does (a code that cannot exist), and with
    a management client read Idura's current secret id before and after: the id belongs to the secret only when
    Idura accepted it and no rotation happened in between (ids are never reused), so a secret and an id are
    never paired on faith. Without ``management`` only the verdict is given."""
    import httpx

    from idura_verify.program import environment, oidc
    from idura_verify.program.management import trust_store

    before = _current_secret_id(stack, management) if management is not None else None
    verify = trust_store(os.environ.get(environment.CA_BUNDLE))
    with httpx.Client(verify=verify, timeout=10.0, trust_env=False, follow_redirects=False) as http:
        try:
            document = http.get(oidc.discovery_url(stack.idura.domain)).json()
        except (httpx.HTTPError, ValueError) as exc:
            return Proof(f"unreachable:discovery {type(exc).__name__}")
        endpoint = document.get("token_endpoint") if isinstance(document, dict) else None
        if not same_origin(endpoint, stack.idura.issuer):
            return Proof("skipped", why_no_id="Idura's discovery names a token endpoint on another host")
        verdict = probe_secret(http, str(endpoint), stack, secret)
    if management is None or verdict != "accepted":
        return Proof(verdict, why_no_id="" if management is None else "Idura does not accept the secret")
    after = _current_secret_id(stack, management)
    if not before or before != after:
        why = "Idura holds no secret id" if not after else "Idura's secret changed while it was checked (a rotation?)"
        return Proof(verdict, why_no_id=why)
    return Proof(verdict, before)


def _current_secret_id(stack: StackConfig, management: Any) -> str | None:
    app = management.find(stack.idura.domain, stack.idura.client_id)
    return app.secret_id if app is not None else None


def same_origin(url: object, issuer: str) -> bool:
    """``url`` is an https URL on exactly the issuer's host and port (a malformed value is simply not)."""
    import httpx

    if not isinstance(url, str) or not url.startswith("https://"):
        return False
    try:
        given, wanted = httpx.URL(url), httpx.URL(issuer)
    except (httpx.InvalidURL, ValueError, TypeError):
        return False
    return (given.host, given.port or 443) == (wanted.host, wanted.port or 443)


def probe_secret(http: Any, token_endpoint: str, stack: StackConfig, secret: str) -> str:
    """What Idura's token endpoint says of ``secret`` (client_secret_post with a code that cannot exist):
    "accepted", "rejected", "unreachable:<why>" or "unknown:<what it said>". Never sends it elsewhere: callers
    check :func:`same_origin` first."""
    import secrets as random

    import httpx

    form = {
        "grant_type": "authorization_code",
        "code": f"doctor-{random.token_hex(8)}",
        "redirect_uri": stack.redirect_url,
        "client_id": stack.idura.client_id,
        "client_secret": secret,
    }
    try:
        response = http.post(token_endpoint, data=form)
        body = response.json() if response.content else {}
        error = body.get("error") if isinstance(body, dict) else None
    except (httpx.HTTPError, ValueError) as exc:
        return f"unreachable:{type(exc).__name__}"
    if error == "invalid_client":
        return "rejected"
    if error == "invalid_grant":
        return "accepted"
    return f"unknown:HTTP {response.status_code}, error {str(error)[:40] if error else '(none)'}"
