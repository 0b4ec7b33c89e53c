"""Writing and reading the escrowed client secret in AWS Secrets Manager, outside Terraform.

Terraform only reads the escrow in hand-registered mode; ``idura-cognito secret put`` writes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .config.model import StackConfig

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


@dataclass(frozen=True)
class EscrowWrite:
    name: str
    version_id: str
    created: bool


@dataclass(frozen=True)
class EscrowStatus:
    name: str
    exists: bool
    last_changed: datetime | None = None
    digest: str | None = None


SECRET_ID_TAG = "idura-cognito:secret-id"  # the same tag the stacks write and read


def put_secret(client: Any, stack: StackConfig, secret: str, secret_id: str | None = None) -> EscrowWrite:
    """Create the escrow or add a new current version; restores an escrow that is scheduled for deletion.

    ``secret_id`` (managed mode) is Idura's id of the secret, recorded in the escrow's tag so the next plan
    knows the escrow is current.
    """
    name = stack.escrow_name
    existing = _describe(client, name)
    if existing is None:
        tags = [{"Key": "managed-by", "Value": "idura-cognito"}]
        if secret_id:
            tags.append({"Key": SECRET_ID_TAG, "Value": secret_id})
        response = client.create_secret(
            Name=name,
            SecretString=secret,
            Description=f"Idura client secret of {stack.idura.client_id} on {stack.idura.domain} (idura-cognito)",
            Tags=tags,
        )
        return EscrowWrite(name, response["VersionId"], created=True)
    if existing.get("DeletedDate"):
        client.restore_secret(SecretId=name)
    response = client.put_secret_value(SecretId=name, SecretString=secret)
    if secret_id:
        client.tag_resource(SecretId=name, Tags=[{"Key": SECRET_ID_TAG, "Value": secret_id}])
    return EscrowWrite(name, response["VersionId"], created=False)


def status(client: Any, stack: StackConfig) -> EscrowStatus:
    name = stack.escrow_name
    described = _describe(client, name)
    if described is None or described.get("DeletedDate"):
        return EscrowStatus(name, exists=False)
    value = client.get_secret_value(SecretId=name)["SecretString"]
    changed = described.get("LastChangedDate") or described.get("CreatedDate")
    return EscrowStatus(name, exists=True, last_changed=changed, digest=digest(value))


def _describe(client: Any, name: str) -> dict | None:
    try:
        return client.describe_secret(SecretId=name)
    except client.exceptions.ResourceNotFoundException:
        return None
