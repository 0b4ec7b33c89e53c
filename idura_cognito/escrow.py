"""The escrowed client secret in AWS Secrets Manager, outside Terraform (secret put/rotate/status, doctor, adopt).

The escrow's value is one JSON document, ``{"client_secret": "...", "idura_secret_id": "sec_..."}``: the secret
and Idura's id of it are written by one call and read by one call, so no interruption can leave a live id next
to a dead secret. A plain string (written before 0.2) reads as a secret with an unknown id.
"""

from __future__ import annotations

import hashlib
import json
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
