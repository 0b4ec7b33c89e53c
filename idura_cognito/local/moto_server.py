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
  replace the pool;
- DescribeUserPoolDomain of a custom domain answers no ``CustomDomainConfig``, so the AWS provider reads
  ``certificate_arn = ""`` and plans to replace the domain on every plan; UpdateUserPoolDomain without a
  certificate (a managed login version change) forgets it; the CloudFront distribution changes with the
  certificate. Cognito answers the certificate and keeps one distribution (below, _custom_domain_json);
- AdminLinkProviderForUser, AdminDisableProviderForUser and the ``identities`` attribute (moto_linking.py), with
  a wrapper-only ``LocalFederatedSignIn`` that models how a federated login resolves to a user (moto does no
  federation; cognito_sign_in.py drives it);
- the managed login branding operations (moto_branding.py);
- it implements neither DeleteResourceServer nor UpdateResourceServer (NotImplementedError, an HTML 500 the AWS
  provider cannot decode: a destroy of a stack with a custom scope retries for many minutes). Cognito deletes
  the server, and an update replaces its name and scopes (API Reference, UpdateResourceServer: "If you don't
  provide a value for an attribute, it is set to the default value"), answering the server.

Faults (tests only): when ``$IDURA_COGNITO_MOTO_FAULTS`` names a folder, a file there named after an operation
(``PutSecretValue``, ``CreateUserPoolDomain``, ...) acts on that operation's next call and is removed: empty, the
call fails with AccessDeniedException (a failed write of the escrow); ``delay <seconds>``, the call waits that
long and then succeeds (an apply that is still running, for an interrupt to land in).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

from moto.cognitoidp import models, responses
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core import responses as core_responses
from moto.core.exceptions import JsonRESTError
from moto.server import main

from . import moto_branding, moto_linking

FAULTS_ENV = "IDURA_COGNITO_MOTO_FAULTS"

_create = responses.CognitoIdpResponse.create_user_pool_domain
_update = responses.CognitoIdpResponse.update_user_pool_domain
_to_json = models.CognitoIdpUserPoolDomain.to_json
_update_domain = models.CognitoIdpBackend.update_user_pool_domain
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
    described = _custom_domain_json(self, _to_json(self, extended), extended)
    if extended and getattr(self, "managed_login_version", None) is not None:
        described["ManagedLoginVersion"] = self.managed_login_version
    if extended and "AWSAccountId" in described:
        described["AWSAccountId"] = DEFAULT_ACCOUNT_ID
    return described


def _cloudfront_distribution(domain: str) -> str:
    """A CloudFront-style host name, fixed per domain: API UpdateUserPoolDomain replaces a custom domain's
    certificate in place ("Amazon Cognito requires up to 1 hour to distribute your new certificate to your custom
    domain"), so the alias record that points at the distribution stays right."""
    return f"d{hashlib.sha256(domain.encode()).hexdigest()[:13]}.cloudfront.net"


def _custom_domain_json(self, described: dict, extended: bool) -> dict:
    """Cognito's answer for a custom domain. API DomainDescriptionType has ``CustomDomainConfig`` ("The
    configuration for a custom domain ...", CertificateArn required) and ``CloudFrontDistribution`` ("The Amazon
    CloudFront endpoint that hosts your custom domain"); CreateUserPoolDomainResponse.CloudFrontDomain: "Amazon
    Cognito returns this value if you set a custom domain with CustomDomainConfig". The AWS provider 5.100 reads
    certificate_arn from CustomDomainConfig.CertificateArn and cloudfront_distribution(_arn) from
    CloudFrontDistribution (internal/service/cognitoidp/user_pool_domain.go, resourceUserPoolDomainRead);
    cloudfront_distribution_zone_id is its own constant for the partition (Z2FDTNDATAQYW2, the CloudFront alias
    zone of botocore's route53 AliasTarget.HostedZoneId), not from Cognito."""
    config = self.custom_domain_config or {}
    if not config.get("CertificateArn"):
        return described
    if extended:
        described["CustomDomainConfig"] = dict(config)
        described["CloudFrontDistribution"] = _cloudfront_distribution(self.domain)
    else:
        described["CloudFrontDomain"] = _cloudfront_distribution(self.domain)
    return described


def _update_domain_keeping_certificate(self, domain: str, custom_domain_config):
    """API UpdateUserPoolDomain "updates the branding version ... It also updates the SSL certificate": a
    request for one of them leaves the other as it was."""
    kept = self.describe_user_pool_domain(domain)
    if kept is not None and not custom_domain_config:
        custom_domain_config = kept.custom_domain_config
    return _update_domain(self, domain, custom_domain_config)


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


def _delete_resource_server(self):
    server = self.backend.describe_resource_server(self._get_param("UserPoolId"), self._get_param("Identifier"))
    del self.backend.user_pools[server.user_pool_id].resource_servers[server.identifier]
    return "{}"


def _update_resource_server(self):
    server = self.backend.describe_resource_server(self._get_param("UserPoolId"), self._get_param("Identifier"))
    server.name = self._get_param("Name")
    server.scopes = self._get_param("Scopes") or []
    return json.dumps({"ResourceServer": server.to_json()})


models.CognitoIdpBackend.update_user_pool = _update_pool_keeping_immutables
responses.CognitoIdpResponse.delete_resource_server = _delete_resource_server
responses.CognitoIdpResponse.update_resource_server = _update_resource_server
responses.CognitoIdpResponse.tag_resource = _tag_resource
responses.CognitoIdpResponse.untag_resource = _untag_resource
responses.CognitoIdpResponse.create_user_pool_domain = _remember_version(_create)
responses.CognitoIdpResponse.update_user_pool_domain = _remember_version(_update)
models.CognitoIdpUserPoolDomain.to_json = _to_json_with_version
models.CognitoIdpBackend.update_user_pool_domain = _update_domain_keeping_certificate
models.CognitoIdpBackend.create_identity_provider = _create_provider_once
core_responses.BaseResponse.call_action = _call_action_with_faults
moto_linking.install()
moto_branding.install()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
