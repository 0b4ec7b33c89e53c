"""Cognito pre sign-up trigger: one person is one Cognito user, whichever of the stack's Idura buttons they use.

Why: Cognito names a federated user ``<identity provider name>_<sub>``. The stack has one provider for Idura's
eID picker and one per pinned eID (a "log in with MitID" button); all of them are the same Idura issuer and
application, so the same person has the same ``sub`` behind each, but Cognito would make a second user
(``idura_<sub>`` and ``mitid_<sub>``) with a second Cognito ``sub`` the app sees as a stranger.

What: on the sign-up of a new federated user of one of the stack's providers (``IDURA_PROVIDER_NAMES``, a JSON
list set by Terraform), look the same ``sub`` up under the stack's other providers with AdminGetUser
(``<other>_<sub>``: deterministic names, no search). If that user is a federated user holding that identity,
link the new identity to it (AdminLinkProviderForUser, ProviderAttributeName ``Cognito_Subject``) and raise
``SignInAgain``: Cognito then creates nothing and sends the app's callback
``error=invalid_request&error_description=PreSignUp failed with error <SIGN_IN_AGAIN>. ``; the next sign-in of
that identity is the existing user. (Returning instead would fail the same way, with Cognito's undocumented
``Already found an entry for username ...``; docs/linking.md has the sources.)

Never blocks a login it cannot help: another trigger source, another identity provider (another team's SAML IdP),
nobody to link to, or any error of AWS (logged in one line: the user names and the error code, never the event,
which holds the person's attributes) all return the event untouched, and Cognito signs the person up as before.
A different person (another ``sub``) is never linked: the user looked up is named by this ``sub`` and must be a
federated user holding its provider's identity.

IAM: cognito-idp:AdminGetUser and cognito-idp:AdminLinkProviderForUser on the user pool. Standard library and
boto3 (which Lambda's Python runtime includes). Handler: ``handler.handler``.
"""

from __future__ import annotations

import json
import logging
import os

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

PROVIDER_NAMES_ENV = "IDURA_PROVIDER_NAMES"
EXTERNAL_PROVIDER = "PreSignUp_ExternalProvider"
SIGN_IN_AGAIN = "Your sign-in is now linked to your existing account. Please sign in again"
#: AdminLinkProviderForUser SourceUser: "When you set ProviderAttributeName to Cognito_Subject, Amazon Cognito
#: will automatically parse the default unique identifier found in the subject from the IdP token."
SUBJECT = "Cognito_Subject"

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)

# Cognito waits 5 seconds for a trigger, then retries (Developer Guide, "Customizing user pool workflows with
# Lambda triggers"): two short attempts per call leave the login its time.
_CONFIG = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "max_attempts": 2})
_client = None


class SignInAgain(Exception):
    """The new identity is linked: Cognito must not create a second user; the person signs in again."""


def handler(event: dict, context: object) -> dict:
    if event.get("triggerSource") != EXTERNAL_PROVIDER:
        return event
    username = event.get("userName") or ""
    providers = _provider_names()
    new = _split(username, providers)
    if new is None:
        return event  # not one of the stack's Idura providers
    provider, sub, lowercased = new
    try:
        found = _same_person(event["userPoolId"], provider, sub, providers, lowercased)
        if found is None:
            return event
        other, existing_user, exact_sub = found
        _cognito().admin_link_provider_for_user(
            UserPoolId=event["userPoolId"],
            DestinationUser={
                "ProviderName": other,
                "ProviderAttributeName": SUBJECT,
                "ProviderAttributeValue": exact_sub,
            },
            SourceUser={
                "ProviderName": provider,
                "ProviderAttributeName": SUBJECT,
                "ProviderAttributeValue": exact_sub,
            },
        )
    except Exception as exc:  # noqa: BLE001 - linking is a convenience: no failure of it may block the login
        logger.warning(
            "link_federated_user: %s not linked (%s); Cognito signs it up as its own user", username, _code(exc)
        )
        return event
    logger.info("link_federated_user: %s linked to %s", username, existing_user)
    raise SignInAgain(SIGN_IN_AGAIN)


def _provider_names() -> list[str]:
    try:
        names = json.loads(os.environ.get(PROVIDER_NAMES_ENV, ""))
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        logger.error(
            "link_federated_user: %s is not a JSON list of provider names; nothing is linked", PROVIDER_NAMES_ENV
        )
        return []
    return names


def _split(username: str, providers: list[str]) -> tuple[str, str, bool] | None:
    """(provider, sub, whether Cognito lowercased the name) for ``<provider>_<sub>``. A case-insensitive pool
    lowercases the whole user name, provider prefix included, so the prefix is compared without case; the
    longest matching name wins."""
    matches = [p for p in providers if username.lower().startswith(p.lower() + "_") and len(username) > len(p) + 1]
    if not matches:
        return None
    provider = max(matches, key=len)
    return provider, username[len(provider) + 1 :], username[: len(provider)] != provider


def _same_person(pool_id: str, provider: str, sub: str, providers: list[str], lowercased: bool):
    """(other provider, its user's name, the sub as Idura sent it) of the same sub under another of the stack's
    providers, or None. The sub comes from the existing user's ``identities`` (exact case; the new user name may
    be lowercased)."""
    for other in providers:
        if other == provider:
            continue
        candidate = f"{other}_{sub}".lower() if lowercased else f"{other}_{sub}"
        try:
            user = _cognito().admin_get_user(UserPoolId=pool_id, Username=candidate)
        except ClientError as exc:
            if _code(exc) == "UserNotFoundException":
                continue
            raise
        exact_sub = _held_subject(user, other)
        if exact_sub is not None:
            return other, user["Username"], exact_sub
    return None


def _held_subject(user: dict, provider: str) -> str | None:
    """The sub, as Idura sent it, of the user's own (primary) identity of ``provider``; None for a user that
    merely has the name (a native user someone created as ``idura_<sub>``), which is never a destination. The
    name the user was found by already holds the sub: a case-insensitive pool finds it without case, a
    case-sensitive one only by its exact name (API UsernameConfiguration: "Amazon Cognito interprets USERNAME and
    UserName as distinct users")."""
    if user.get("UserStatus") != "EXTERNAL_PROVIDER":
        return None
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    try:
        entries = json.loads(attributes.get("identities") or "[]")
    except ValueError:
        return None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("primary") is True and entry.get("providerName") == provider:
            return str(entry.get("userId", "")) or None
    return None


def _code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code", "ClientError")
    return type(exc).__name__


def _cognito():
    global _client
    if _client is None:
        _client = boto3.client("cognito-idp", config=_CONFIG)
    return _client
