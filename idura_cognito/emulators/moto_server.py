"""moto server (the local AWS) with one fidelity fix.

Run: ``python -m idura_cognito.emulators.moto_server -H 127.0.0.1 -p PORT``.

moto 5.2.1 drops ``ManagedLoginVersion`` from CreateUserPoolDomain / UpdateUserPoolDomain and never returns it
from DescribeUserPoolDomain, so every plan after an apply would show ``managed_login_version 0 -> 1`` although
real Cognito stores it. This wrapper stores and returns it, and changes nothing else.
"""

from __future__ import annotations

import sys

from moto.cognitoidp import models, responses
from moto.server import main

_create = responses.CognitoIdpResponse.create_user_pool_domain
_update = responses.CognitoIdpResponse.update_user_pool_domain
_to_json = models.CognitoIdpUserPoolDomain.to_json


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
    return described


responses.CognitoIdpResponse.create_user_pool_domain = _remember_version(_create)
responses.CognitoIdpResponse.update_user_pool_domain = _remember_version(_update)
models.CognitoIdpUserPoolDomain.to_json = _to_json_with_version

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
