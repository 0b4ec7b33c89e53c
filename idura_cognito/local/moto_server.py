"""moto server (the local AWS) with its fidelity fixes, and one fault for the tests.

Run: ``python -m idura_cognito.local.moto_server -H 127.0.0.1 -p PORT``.

Where moto 5.2.1 is kinder or forgetful than Cognito, this wrapper makes it behave as Cognito does, and changes
nothing else:
- it drops ``ManagedLoginVersion`` from CreateUserPoolDomain / UpdateUserPoolDomain and never returns it from
  DescribeUserPoolDomain, so every plan after an apply would show ``managed_login_version 0 -> 1``;
- DescribeUserPoolDomain answers a new random ``AWSAccountId`` each time; Cognito answers the account's id, so
  two plans of one state agree (deploy compares them);
- it accepts a second identity provider with a name the pool already has, where Cognito refuses with
  DuplicateProviderException (an apply over a hand-built setup would "succeed" with two providers named Idura);
- an OIDC provider made without ``attributes_url_add_attributes`` reads back without it; Cognito sets it
  ("false", read-only), so a provider built by hand would show a change that Cognito would not;
- it does not implement TagResource / UntagResource for user pools (tags can only be set at creation), so
  tagging an adopted pool fails with HTTP 500 and the AWS provider retries for minutes;
- UpdateUserPool forgets the settings that cannot change after creation (UsernameConfiguration,
  UsernameAttributes, AliasAttributes) and the tags; Cognito keeps them, and forgetting them makes the next plan
  replace the pool.

Faults (tests only): when ``$IDURA_COGNITO_MOTO_FAULTS`` names a folder, a file there named after an operation
(``PutSecretValue``, ``CreateUserPoolDomain``, ...) acts on that operation's next call and is removed: empty, the
call fails with AccessDeniedException (a failed write of the escrow); ``delay <seconds>``, the call waits that
long and then succeeds (an apply that is still running, for an interrupt to land in).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from moto.cognitoidp import models, responses
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core import responses as core_responses
from moto.core.exceptions import JsonRESTError
from moto.server import main

FAULTS_ENV = "IDURA_COGNITO_MOTO_FAULTS"

_create = responses.CognitoIdpResponse.create_user_pool_domain
_update = responses.CognitoIdpResponse.update_user_pool_domain
_to_json = models.CognitoIdpUserPoolDomain.to_json
_create_provider = models.CognitoIdpBackend.create_identity_provider
_update_pool = models.CognitoIdpBackend.update_user_pool
_KEPT_ON_UPDATE = ("UsernameConfiguration", "UsernameAttributes", "AliasAttributes", "UserPoolTags")
_call_action = core_responses.BaseResponse.call_action


def _remember_version(handler):
    def wrapped(self):
        result = handler(self)
        version = self._get_param("ManagedLoginVersion")
        domain = self.backend.describe_user_pool_domain(self._get_param("Domain"))
        if domain is not None and version is not None:
            domain.managed_login_version = version
        return result

    return wrapped


def _to_json_with_version(self, extended: bool = True):
    described = _to_json(self, extended)
    if extended and getattr(self, "managed_login_version", None) is not None:
        described["ManagedLoginVersion"] = self.managed_login_version
    if extended and "AWSAccountId" in described:
        described["AWSAccountId"] = DEFAULT_ACCOUNT_ID
    return described


class DuplicateProviderException(JsonRESTError):
    def __init__(self, name: str) -> None:
        super().__init__("DuplicateProviderException", f"A provider with the name {name} already exists.")


def _create_provider_once(self, user_pool_id: str, name: str, extended_config: dict[str, str]):
    if name in self.describe_user_pool(user_pool_id).identity_providers:
        raise DuplicateProviderException(name)
    details = (extended_config or {}).get("ProviderDetails")
    if (extended_config or {}).get("ProviderType") == "OIDC" and isinstance(details, dict):
        details.setdefault("attributes_url_add_attributes", "false")  # Cognito sets it, read-only
    return _create_provider(self, user_pool_id, name, extended_config)


def _call_action_with_faults(self):
    folder = os.environ.get(FAULTS_ENV)
    flag = Path(folder) / self._get_action() if folder else None
    if flag is not None and flag.is_file():
        fault = flag.read_text().split()
        flag.unlink(missing_ok=True)
        if fault[:1] == ["delay"]:
            time.sleep(float(fault[1]))
        else:
            raise JsonRESTError("AccessDeniedException", f"emulated fault: {self._get_action()} refused")
    return _call_action(self)


def _update_pool_keeping_immutables(self, user_pool_id: str, extended_config: dict):
    kept = self.describe_user_pool(user_pool_id).extended_config
    extended_config = {k: kept[k] for k in _KEPT_ON_UPDATE if k in kept} | dict(extended_config or {})
    return _update_pool(self, user_pool_id, extended_config)


def _pool_by_arn(backend, arn: str):
    pool = next((p for p in backend.user_pools.values() if p.arn == arn), None)
    if pool is None:
        raise JsonRESTError("ResourceNotFoundException", f"{arn} not found")
    return pool


def _tag_resource(self):
    pool = _pool_by_arn(self.backend, self._get_param("ResourceArn"))
    pool.extended_config.setdefault("UserPoolTags", {}).update(self._get_param("Tags") or {})
    return "{}"


def _untag_resource(self):
    pool = _pool_by_arn(self.backend, self._get_param("ResourceArn"))
    for key in self._get_param("TagKeys") or []:
        pool.extended_config.get("UserPoolTags", {}).pop(key, None)
    return "{}"


models.CognitoIdpBackend.update_user_pool = _update_pool_keeping_immutables
responses.CognitoIdpResponse.tag_resource = _tag_resource
responses.CognitoIdpResponse.untag_resource = _untag_resource
responses.CognitoIdpResponse.create_user_pool_domain = _remember_version(_create)
responses.CognitoIdpResponse.update_user_pool_domain = _remember_version(_update)
models.CognitoIdpUserPoolDomain.to_json = _to_json_with_version
models.CognitoIdpBackend.create_identity_provider = _create_provider_once
core_responses.BaseResponse.call_action = _call_action_with_faults

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
