"""In-memory state of the emulator: applications, enabled eIDs, one-time codes, access tokens, test identities."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..acr_values import BY_ACR, DOCUMENTED
from ..oidc import USERINFO_STRATEGIES, USERINFO_STRATEGY

DEFAULT_ACR = "urn:grn:authn:dk:mitid:substantial"
STRATEGIES = USERINFO_STRATEGIES

#: A test person per identity scheme, shaped like the sample payloads in Idura's docs (claim names and which
#: names and dates each eID carries; see acr_values.CLAIMS_BY_SCHEME). Values are invented test data.
IDENTITIES: dict[str, dict[str, Any]] = {
    "dkmitid": {
        "name": "Test Testersen",
        "birthdate": "1990-01-31",
        "dateofbirth": "1990-01-31",
        "age": "36",
        "country": "DK",
        "uuid": "7c2d1ae6-4b1e-4a62-9d7a-3a1f1b6c9e20",
    },
    "sebankid": {
        "name": "Test Testsson",
        "given_name": "Test",
        "family_name": "Testsson",
        "ssn": "199001312389",
        "country": "SE",
        "ipaddress": "192.0.2.10",
    },
    "sefrejaid": {
        "given_name": "Testa",
        "family_name": "Freja",
        "birthdate": "1988-05-05",
        "dateofbirth": "1988-05-05",
        "age": "38",
        "emailaddress": "testa@example.com",
    },
    "nobankid-oidc": {
        "name": "Test Nordmann",
        "given_name": "Test",
        "family_name": "Nordmann",
        "birthdate": "1985-03-04",
        "dateofbirth": "1985-03-04",
        "country": "NO",
        "uniqueuserid": "9578-6000-4-12345",
    },
    "novippslogin": {
        "name": "Test Vippsen",
        "given_name": "Test",
        "family_name": "Vippsen",
        "birthdate": "1991-09-09",
        "country": "NO",
    },
    "fitupas": {
        "name": "Testi Testinen",
        "given_name": "Testi",
        "family_name": "Testinen",
        "birthdate": "1970-07-07",
        "dateofbirth": "1970-07-07",
        "hetu": "070770-905D",
        "country": "FI",
        "satu": "",
    },
    "nlidin": {"family_name": "Testmans", "birthdate": "1980-02-02"},
    "deadesso": {
        "given_name": "ERIKA",
        "family_name": "MUSTERMANN",
        "birthdate": "1964-08-12",
        "nationality": "D",
        "place_of_birth": "BERLIN",
    },
    "ageverification": {"http://ageverification.criipto.com": {"country": "DK", "is_over_18": True}},
    "mock": {"name": "Mock User"},
}
#: Claims a scope adds (Idura's dynamic scopes), e.g. MitID's CPR number only with ``ssn``.
SCOPE_CLAIMS: dict[str, dict[str, dict[str, Any]]] = {
    "dkmitid": {"ssn": {"cprNumberIdentifier": "3101901234"}},
    "nobankid-oidc": {"ssn": {"socialno": "04038512345"}},
    "novippslogin": {"ssn": {"socialno": "09099112345"}},
}


def idura_secret() -> str:
    """A client secret shaped like Idura's: 32 random bytes in standard base64, 44 characters ending in '='.

    Redrawn until it holds both '+' and '/', so every path that carries a secret meets the characters that
    break careless form or URL encoding (a raw '+' in a form body decodes to a space).
    """
    while True:
        secret = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        if "+" in secret and "/" in secret:
            return secret


@dataclass
class Application:
    id: str
    domain: str
    realm: str
    name: str
    return_urls: list[str]
    code_flow: bool = True
    strategy: str = USERINFO_STRATEGY
    secret_sha256: str | None = None  # like Idura, only a hash of the secret is kept
    secret_id: str | None = None
    created_at: float = field(default_factory=time.time)
    secret_issued_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "domain": self.domain,
            "realm": self.realm,
            "name": self.name,
            "returnUrls": list(self.return_urls),
            "oauth2": {
                "codeFlow": self.code_flow,
                "userInfoResponseStrategy": self.strategy,
                "clientSecretId": self.secret_id,
            },
            "createdAt": _iso(self.created_at),
            "secretIssuedAt": _iso(self.secret_issued_at) if self.secret_issued_at else None,
        }

    def issue_secret(self) -> tuple[str, str]:
        secret = idura_secret()
        return secret, self.set_secret(secret)

    def set_secret(self, secret: str, secret_id: str | None = None) -> str:
        self.secret_sha256 = hashlib.sha256(secret.encode()).hexdigest()
        self.secret_id = secret_id or f"sec_{uuid.uuid4().hex[:16]}"
        self.secret_issued_at = time.time()
        return self.secret_id

    def secret_matches(self, secret: str) -> bool:
        if self.secret_sha256 is None:
            return False
        return secrets.compare_digest(hashlib.sha256(secret.encode()).hexdigest(), self.secret_sha256)


@dataclass
class Grant:
    """A one-time authorization code or an access token, with what it was issued for."""

    client_id: str
    domain: str
    redirect_uri: str
    claims: dict[str, Any]
    expires: float
    acr: str = DEFAULT_ACR


class EmulatorState:
    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.applications: list[Application] = []
        #: Idura refuses a second application with a realm that exists on the domain. Tests switch the guard
        #: off to prove that a race really overlaps (then every create succeeds).
        self.unique_realms = True
        #: The eIDs enabled on every domain the emulator serves (discovery lists them; authorize refuses others).
        self.enabled_acrs: list[str] = [entry.acr for entry in DOCUMENTED]
        #: Client authentication methods discovery announces (the token endpoint accepts all three anyway).
        self.auth_methods: list[str] = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
        self.codes: dict[str, Grant] = {}
        self.tokens: dict[str, Grant] = {}
        self.user_override: dict[str, Any] | None = None
        self.default_acr = DEFAULT_ACR
        self.issuer_override: str | None = None
        self.requests: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []

    def find_all(self, domain: str, realm: str) -> list[Application]:
        return [a for a in self.applications if a.domain == domain and a.realm == realm]

    def find(self, domain: str, realm: str) -> Application | None:
        found = self.find_all(domain, realm)
        return found[0] if found else None

    def by_id(self, domain: str, app_id: str) -> Application | None:
        return next((a for a in self.applications if a.domain == domain and a.id == app_id), None)

    def add(self, app: Application) -> None:
        self.applications.append(app)

    def remove(self, app: Application) -> None:
        self.applications = [a for a in self.applications if a is not app]

    def user_claims(self, acr: str, scopes: list[str]) -> dict[str, Any]:
        """The claims of a login with ``acr``: the eID's test identity, as Idura's sample payloads are shaped."""
        entry = BY_ACR.get(acr)
        scheme = entry.scheme if entry else acr.removeprefix("urn:grn:authn:").replace(":", "")
        person = dict(IDENTITIES.get(scheme, IDENTITIES["mock"]) if self.user_override is None else self.user_override)
        for scope in scopes:
            person |= SCOPE_CLAIMS.get(scheme, {}).get(scope, {})
        subject = uuid.uuid5(uuid.NAMESPACE_URL, f"{acr}/{person.get('name', person.get('family_name'))}")
        return {
            "identityscheme": scheme,
            "authenticationtype": acr,
            "authenticationmethod": acr,
            "authenticationinstant": _iso(time.time()),
            "nameidentifier": subject.hex,
            "sub": "{" + str(subject) + "}",
            "sessionindex": str(uuid.uuid4()),
            **person,
        }


def _iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
