"""Names the product gives things, each defined once: the escrow's name, tags, resource names.

The module computes the escrow name in HCL from the same constants (``modules/idura-cognito/names.tf`` is
generated from this file); a test runs both on one corpus.
"""

from __future__ import annotations

import hashlib
import re

#: Every escrow is named ``idura-cognito/<idura domain>/<client id slug>``.
ESCROW_PREFIX = "idura-cognito"
#: Secrets Manager names allow letters, digits and these: a client id made only of them is used as is.
ESCROW_SAFE_CHARACTERS = "A-Za-z0-9_+=.@-"
#: Any other client id becomes a readable slug plus this many hex digits of its SHA-256.
ESCROW_HASH_DIGITS = 8
#: The tag every resource the product creates carries (besides the user's own tags).
MANAGED_BY_TAG = {"managed-by": "idura-cognito"}
#: The tag a pool the product creates carries from its creation: which stack made it. A pool cut off from the state
#: (an interrupted first apply) is taken back by deploy only with it: a console-built namesake does not carry it.
STACK_TAG = "idura-cognito:stack"


def stack_tag_value(stack_name: str | None, escrow: str) -> str:
    """``dev/idura-cognito/acme.idura.broker/urn-...``: the stack's name and its escrow's (which names the Idura
    domain and the client id), in characters Cognito's tags allow."""
    return f"{stack_name}/{escrow}" if stack_name else escrow


def escrow_name(idura_domain: str, client_id: str) -> str:
    """Secrets Manager name of the escrow for (Idura domain, client id); distinct client ids never share one.

    ``urn:idura:samples:aws:cognito`` on ``acme.idura.broker`` ->
    ``idura-cognito/acme.idura.broker/urn-idura-samples-aws-cognito-46011608``.
    """
    domain = idura_domain.replace(":", "-")  # only a local emulator's host:port has one
    if re.fullmatch(f"[{ESCROW_SAFE_CHARACTERS}]+", client_id):
        slug = client_id
    else:
        readable = re.sub(f"[^{ESCROW_SAFE_CHARACTERS}]+", "-", client_id).strip("-") or "client"
        slug = f"{readable}-{hashlib.sha256(client_id.encode()).hexdigest()[:ESCROW_HASH_DIGITS]}"
    return f"{ESCROW_PREFIX}/{domain}/{slug}"


def pinned_eid_resource(name: str) -> str:
    """The CDKTF resource name of a pinned eID's IdP (``MitID`` -> ``eid_mitid``): keyed by name, not position,
    so reordering the list replaces nothing."""
    return "eid_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def client_resource(key: str) -> str:
    """The CDKTF resource name of an app client (``web-app`` -> ``app_client_web_app``)."""
    return "app_client_" + key.replace("-", "_")


def resource_server_resource(identifier: str) -> str:
    """The CDKTF resource name of a resource server: a readable slug plus a hash, so two identifiers never share."""
    slug = re.sub(r"[^a-z0-9]+", "_", identifier.lower()).strip("_")[:40] or "server"
    return f"resource_server_{slug}_{hashlib.sha256(identifier.encode()).hexdigest()[:8]}"


def resource_server_name(identifier: str) -> str:
    """A Cognito resource server name (letters, digits, spaces and ``+=,.@-``) for an identifier."""
    return (re.sub(r"[^\w\s+=,.@-]+", "-", identifier).strip("- ") or "server")[:256]
