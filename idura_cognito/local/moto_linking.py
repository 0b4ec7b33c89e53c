"""Linked federated users in the local moto server, as Cognito documents them, and the wrapper's model of a
federated sign-in (moto does no federation).

moto 5.2.1 implements neither AdminLinkProviderForUser nor AdminDisableProviderForUser
(moto's IMPLEMENTATION_COVERAGE.md: ``- [ ] admin_link_provider_for_user``). Sources, quoted beside each rule:
- API = the Cognito API Reference, the text of botocore's ``cognito-idp/2016-04-18/service-2.json``
  (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminLinkProviderForUser.html);
- DG = the Cognito Developer Guide, "Linking federated users to an existing user profile"
  (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation-consolidate-users.html;
  archived: awsdocs/amazon-cognito-developer-guide@85b058f, doc_source/ of the same name);
- error texts AWS does not document come from the threads named beside them; where no source gives Cognito's
  answer, the comment says "wrapper's choice".

A link is stored where Cognito shows it: an entry of the destination user's ``identities`` attribute (DG: "The
user profile ... now has the following identities attribute": ``userId``, ``providerName``, ``providerType``,
``issuer``, ``primary``, ``dateCreated``), so AdminGetUser and ListUsers show it as Cognito does. A federated
user's own identity is the entry with ``"primary": true`` (a ListUsers answer of a real OIDC user:
``[{"userId":"PY5d...","providerName":"Azure","providerType":"OIDC","issuer":null,"primary":true,...}]``).
"""

from __future__ import annotations

import json
import time

from moto.cognitoidp import models, responses
from moto.cognitoidp.exceptions import InvalidParameterException, UserNotFoundError
from moto.core.exceptions import JsonRESTError

from .moto_json import answer

#: API DestinationUser: "The ProviderName should be set to Cognito for users in Cognito user pools."
NATIVE_PROVIDER = "Cognito"
#: API SourceUser: "When you set ProviderAttributeName to Cognito_Subject, Amazon Cognito will automatically
#: parse the default unique identifier found in the subject from the IdP token."
SUBJECT = "Cognito_Subject"
#: API: "The maximum number of federated identities linked to a user is five."
MAX_LINKED_IDENTITIES = 5
#: https://github.com/aws-amplify/amplify-js/issues/13334 and https://github.com/boto/boto3/issues/4163
SOURCE_IS_NATIVE = (
    "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, "
    "only as a DestinationUser"
)
#: https://github.com/aws/aws-sdk-net/issues/1000 (API SourceUser: "a user who doesn't exist yet in the user pool")
SOURCE_SIGNED_UP = (
    "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link"
)
#: Cognito's answer when it creates a federated user whose identity a pre sign-up trigger has just linked
#: (undocumented; https://github.com/aws-amplify/amplify-js/issues/9976, amplify-swift#2226, amplify-flutter#1716).
ALREADY_FOUND = "Already found an entry for username {username}"

#: LocalFederatedSignIn outcomes (the wrapper's own operation, see local_federated_sign_in).
LINKED, EXISTING, NEW, SIGNED_UP = "LINKED", "EXISTING", "NEW", "SIGNED_UP"


class LimitExceededException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("LimitExceededException", message)


class NotModelled(JsonRESTError):
    """A request this wrapper does not model: it says so instead of answering what Cognito might not."""

    def __init__(self, what: str) -> None:
        super().__init__("InvalidParameterException", f"the local moto wrapper does not model {what}")


# -- the identities attribute ---------------------------------------------------------------------------------


def identities(user: models.CognitoIdpUser) -> list[dict]:
    raw = user.attribute_lookup.get("identities")
    try:
        value = json.loads(raw) if raw else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _set_identities(user: models.CognitoIdpUser, entries: list[dict]) -> None:
    # Cognito's attribute is compact JSON (the ListUsers answer quoted in the module docstring).
    user.update_attributes([{"Name": "identities", "Value": json.dumps(entries, separators=(",", ":"))}])


def _identity(pool: models.CognitoIdpUserPool, provider: str, user_id: str, primary: bool) -> dict:
    provider_type = pool.identity_providers[provider].extended_config.get("ProviderType")
    # issuer: null for OIDC in the ListUsers answer above (DG's SAML example carries the SAML issuer).
    return {
        "userId": user_id,
        "providerName": provider,
        "providerType": provider_type,
        "issuer": None,
        "primary": primary,
        "dateCreated": int(time.time() * 1000),  # epoch milliseconds, as in DG's example
    }


def owner(pool: models.CognitoIdpUserPool, provider: str, user_id: str):
    """(user, identity entry) of the user holding the identity ``provider``/``user_id``, or None."""
    for user in pool.users.values():
        for entry in identities(user):
            if entry.get("providerName") == provider and entry.get("userId") == user_id:
                return user, entry
    return None


def federated_username(pool: models.CognitoIdpUserPool, provider: str, subject: str) -> str:
    """``<provider>_<sub>`` (DG attribute mapping: "Amazon Cognito prepends this attribute value with the name of
    your IdP"), all lowercase in a case-insensitive pool (https://github.com/aws-amplify/amplify-js/issues/13844;
    a real ListUsers answer shows ``azure_py5dp6...`` for the identity ``PY5dp6...``). API UsernameConfiguration:
    CaseSensitive true "is the default value"."""
    username = f"{provider}_{subject}"
    case_sensitive = (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True)
    return username if case_sensitive else username.lower()


# -- AdminLinkProviderForUser and AdminDisableProviderForUser ---------------------------------------------------


def _identifier(response: responses.CognitoIdpResponse, name: str) -> tuple[str, str, str]:
    given = response._get_param(name) or {}
    provider, value = given.get("ProviderName"), given.get("ProviderAttributeValue")
    if not provider or not value:
        raise InvalidParameterException(f"{name}.ProviderName and {name}.ProviderAttributeValue are required")
    return provider, given.get("ProviderAttributeName") or "", value


def _identity_provider(pool: models.CognitoIdpUserPool, name: str, field: str) -> None:
    # API AdminDisableProviderForUser: "The value of ProviderName must match the name of a user pool IdP."
    # The wrapper holds the same for both users of a link.
    if name not in pool.identity_providers:
        where = f"{field}.ProviderName" if field else "ProviderName"
        raise InvalidParameterException(f"{where} {name} is not an identity provider of the user pool")


def admin_link_provider_for_user(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))  # ResourceNotFoundException
    source_provider, source_attribute, source_value = _identifier(self, "SourceUser")
    destination_provider, _, destination_value = _identifier(self, "DestinationUser")

    # API SourceUser: "This user must be a federated user ..., not another native user."
    if source_provider == NATIVE_PROVIDER:
        raise InvalidParameterException(SOURCE_IS_NATIVE)
    _identity_provider(pool, source_provider, "SourceUser")
    if source_attribute != SUBJECT:
        # DG-2023: "You must set ProviderAttributeName to Cognito_Subject when you link an OIDC or social IdP";
        # the current API also allows a mapped attribute, which the wrapper's sign-in cannot match.
        raise NotModelled(f"links by {source_attribute or 'no ProviderAttributeName'} (only {SUBJECT})")
    held = owner(pool, source_provider, source_value)
    if held is not None and held[1].get("primary"):
        raise InvalidParameterException(SOURCE_SIGNED_UP)
    if held is not None:  # wrapper's choice of text: AWS documents no answer for linking a linked identity twice
        raise InvalidParameterException(f"SourceUser is already linked to the user {held[0].username}")

    # API DestinationUser: "If the user doesn't exist, Amazon Cognito generates an exception."
    if destination_provider == NATIVE_PROVIDER:
        destination = pool._get_user(destination_value)
        if destination is None:
            raise UserNotFoundError("User does not exist.")
    else:
        _identity_provider(pool, destination_provider, "DestinationUser")
        found = owner(pool, destination_provider, destination_value)
        if found is None:
            raise UserNotFoundError("User does not exist.")
        if not found[1].get("primary"):  # wrapper's choice: Cognito's answer is not documented
            raise InvalidParameterException(
                f"DestinationUser is a linked identity of the user {found[0].username}, not a user"
            )
        destination = found[0]

    entries = identities(destination)
    if sum(1 for entry in entries if not entry.get("primary")) >= MAX_LINKED_IDENTITIES:
        raise LimitExceededException(f"A user can have at most {MAX_LINKED_IDENTITIES} linked identities")
    _set_identities(destination, [*entries, _identity(pool, source_provider, source_value, primary=False)])
    return answer({})


def admin_disable_provider_for_user(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    """API: "If the user to deactivate is a linked external IdP user, any link between that user and an existing
    user is removed. When the external user signs in again, and the user is no longer attached to the previously
    linked DestinationUser, the user must create a new user account." Only that case is modelled."""
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    provider, _, value = _identifier(self, "User")
    if provider == NATIVE_PROVIDER:
        raise NotModelled("AdminDisableProviderForUser for native users")
    _identity_provider(pool, provider, "User")
    held = owner(pool, provider, value)
    if held is None:  # wrapper's choice of error: AWS documents none for an identity nobody holds
        raise UserNotFoundError("User does not exist.")
    user, entry = held
    if entry.get("primary"):
        raise NotModelled("AdminDisableProviderForUser for a federated user's own identity")
    _set_identities(user, [e for e in identities(user) if e != entry])
    return answer({})


# -- the wrapper's model of a federated sign-in (not an AWS operation) -------------------------------------------


def local_federated_sign_in(self: responses.CognitoIdpResponse) -> tuple[str, dict]:
    """``LocalFederatedSignIn`` {UserPoolId, ProviderName, Subject, UserAttributes?, SignUp?} -> {Outcome, Username}.

    The wrapper's model of what Cognito does when a user comes back from an identity provider with ``Subject``
    (moto has no federation; idura_cognito/local/cognito_sign_in.py drives it and runs a pre sign-up function):
    - the identity is linked to a user (AdminLinkProviderForUser): LINKED, that user (API DestinationUser:
      "Amazon Cognito returns this user when the new user (with the linked IdP attribute) signs in");
    - the identity's own user exists: EXISTING, its mapped attributes rewritten (API WriteAttributes: "Amazon
      Cognito updates mapped attributes when users sign in to your application through an IdP");
    - otherwise NEW: Cognito would now run the pre sign-up trigger; nothing is created.
    With ``SignUp`` true (the trigger returned), the user is created: ``<provider>_<sub>``, UserStatus
    EXTERNAL_PROVIDER (API AdminGetUserResponse: "The user signed in with a third-party identity provider"),
    its identity primary; or, when the identity is linked or its user exists by now (the trigger linked it),
    InvalidParameterException ``Already found an entry for username ...``, the failure users of linking
    triggers report (ALREADY_FOUND). Mapped attributes of a linked sign-in are not modelled (left unchanged).
    """
    pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
    provider, subject = self._get_param("ProviderName"), self._get_param("Subject")
    if not provider or not subject:
        raise InvalidParameterException("ProviderName and Subject are required")
    _identity_provider(pool, provider, "")
    attributes = self._get_param("UserAttributes") or []
    username = federated_username(pool, provider, subject)
    held = owner(pool, provider, subject)
    if self._get_param("SignUp"):
        if held is not None or pool._get_user(username) is not None:
            raise InvalidParameterException(ALREADY_FOUND.format(username=username))
        user = models.CognitoIdpUser(pool.id, username, None, "EXTERNAL_PROVIDER", attributes)
        _set_identities(user, [_identity(pool, provider, subject, primary=True)])
        pool.users[username] = user
        return answer({"Outcome": SIGNED_UP, "Username": username})
    if held is None:
        return answer({"Outcome": NEW, "Username": username})
    user, entry = held
    if entry.get("primary"):
        user.update_attributes(attributes)
        return answer({"Outcome": EXISTING, "Username": user.username})
    return answer({"Outcome": LINKED, "Username": user.username})


def install() -> None:
    responses.CognitoIdpResponse.admin_link_provider_for_user = admin_link_provider_for_user
    responses.CognitoIdpResponse.admin_disable_provider_for_user = admin_disable_provider_for_user
    responses.CognitoIdpResponse.local_federated_sign_in = local_federated_sign_in
