"""What Cognito does with a person coming back from an identity provider, against the local moto server: which
user they become, with the pre sign-up trigger run the way Cognito runs it. This is the local wrapper's MODEL of
Cognito's federation, not AWS: moto does no federation and runs no Lambda triggers, so the wrapper answers
``LocalFederatedSignIn`` (idura_cognito/local/moto_linking.py, where each rule cites its source) and this module
calls the trigger function in this process.

The order, as Cognito documents or users report it:
1. the identity is linked to a user (AdminLinkProviderForUser): the person is that user;
2. the identity's own user ``<provider>_<sub>`` exists: the person is that user;
3. otherwise Cognito runs the pre sign-up trigger (triggerSource ``PreSignUp_ExternalProvider``). If it raises,
   nothing is created and the app's callback gets the error (DG-2023 Lambda triggers: users "can see errors that
   Lambda triggers generate in query parameters that Amazon Cognito adds to the callback URL"), as
   ``error_description=PreSignUp failed with error <message>. `` (the form in
   https://github.com/aws-amplify/amplify-js/issues/14063). If it returns, Cognito creates ``<provider>_<sub>``;
   when the trigger has linked that identity meanwhile, the creation fails with ``Already found an entry for
   username <provider>_<sub>`` (https://github.com/aws-amplify/amplify-js/issues/9976) and the next sign-in is
   case 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .moto_json import CONTENT_TYPE

TRIGGER_SOURCE = "PreSignUp_ExternalProvider"
#: Cognito's error_description for a pre sign-up trigger that raised (amplify-js#14063, trailing space included).
TRIGGER_FAILED = "PreSignUp failed with error {message}. "

PreSignUp = Callable[[dict, Any], dict]


@dataclass(frozen=True)
class SignIn:
    """``outcome``: linked, existing, signed_up (a user the person is now), or refused (no tokens: the app's
    callback gets ``error=invalid_request`` and ``error_description``)."""

    outcome: str
    username: str | None
    error_description: str | None = None


class SignInError(Exception):
    """The local server refused the request itself (a pool or provider that does not exist, ...)."""


def federated_sign_in(
    endpoint_url: str,
    user_pool_id: str,
    provider_name: str,
    subject: str,
    attributes: dict[str, str] | None = None,
    *,
    client_id: str = "",
    pre_sign_up: PreSignUp | None = None,
    timeout: float = 10.0,
) -> SignIn:
    """Sign ``subject`` of ``provider_name`` in, as Cognito would after the IdP's token and userinfo (the
    ``attributes`` are the mapped ones, e.g. federated_login.cognito_attributes)."""
    attributes = dict(attributes or {})
    request = {
        "UserPoolId": user_pool_id,
        "ProviderName": provider_name,
        "Subject": subject,
        "UserAttributes": [{"Name": k, "Value": v} for k, v in attributes.items()],
    }
    with httpx.Client(timeout=timeout, trust_env=False) as http:
        found = _call(http, endpoint_url, user_pool_id, request)
        if found["Outcome"] != "NEW":
            return SignIn(found["Outcome"].lower(), found["Username"])
        if pre_sign_up is not None:
            event = pre_sign_up_event(user_pool_id, found["Username"], attributes, client_id)
            try:
                pre_sign_up(event, None)
            except Exception as exc:  # noqa: BLE001 - any error of the trigger is what Cognito shows
                return SignIn("refused", None, TRIGGER_FAILED.format(message=exc))
        try:
            created = _call(http, endpoint_url, user_pool_id, request | {"SignUp": True})
        except SignInError as exc:
            return SignIn("refused", None, str(exc))
        return SignIn(created["Outcome"].lower(), created["Username"])


def pre_sign_up_event(user_pool_id: str, username: str, attributes: dict[str, str], client_id: str = "") -> dict:
    """The event Cognito passes (DG-2023 user-pool-lambda-pre-sign-up.md: the common fields, request.userAttributes
    / validationData, response.autoConfirmUser / autoVerifyEmail / autoVerifyPhone)."""
    return {
        "version": "1",
        "region": user_pool_id.split("_", 1)[0],
        "userPoolId": user_pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id},
        "triggerSource": TRIGGER_SOURCE,
        "request": {"userAttributes": dict(attributes), "validationData": {}},
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


def _call(http: httpx.Client, endpoint_url: str, user_pool_id: str, body: dict) -> dict:
    region = user_pool_id.split("_", 1)[0]
    headers = {
        "Content-Type": CONTENT_TYPE,
        "X-Amz-Target": "AWSCognitoIdentityProviderService.LocalFederatedSignIn",
        # moto finds the service and region in the credential scope; it checks no signature.
        "Authorization": f"AWS4-HMAC-SHA256 Credential=local/20260101/{region}/cognito-idp/aws4_request, "
        "SignedHeaders=host, Signature=local",
    }
    response = http.post(endpoint_url, headers=headers, content=json.dumps(body))
    answer = response.json()
    if response.status_code != 200:
        raise SignInError(answer.get("message") or answer.get("__type") or f"HTTP {response.status_code}")
    return answer
