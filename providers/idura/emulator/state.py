"""In-memory state of the emulator: applications per domain, one-time codes, access tokens, test user."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ACR = "urn:grn:authn:dk:mitid:substantial"
STRATEGIES = ("plainJson", "signedJwt", "signedAndEncryptedJwt", "fromTokenEndpoint")

#: identityscheme claim per eID, as in Idura's sample payloads.
_SCHEMES = {
    "urn:grn:authn:dk:mitid": "dkmitid",
    "urn:grn:authn:no:bankid": "nobankid-oidc",
    "urn:grn:authn:no:vipps": "novipps",
    "urn:grn:authn:se:bankid": "sebankid",
    "urn:grn:authn:se:frejaid": "sefrejaid",
    "urn:grn:authn:fi": "fitupas",
}


def identity_scheme(acr: str) -> str:
    for prefix, scheme in _SCHEMES.items():
        if acr == prefix or acr.startswith(prefix + ":"):
            return scheme
    return acr.removeprefix("urn:grn:authn:").replace(":", "")


@dataclass
class Application:
    id: str
    domain: str
    realm: str
    name: str
    return_urls: list[str]
    code_flow: bool = True
    strategy: str = "plainJson"
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
        secret = secrets.token_urlsafe(32)
        return secret, self.set_secret(secret)

    def set_secret(self, secret: str) -> str:
        self.secret_sha256 = hashlib.sha256(secret.encode()).hexdigest()
        self.secret_id = f"sec_{uuid.uuid4().hex[:16]}"
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


class EmulatorState:
    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.applications: dict[tuple[str, str], Application] = {}  # (domain, realm) -> app
        self.codes: dict[str, Grant] = {}
        self.tokens: dict[str, Grant] = {}
        self.user: dict[str, Any] = {
            "name": "Test Testersen",
            "given_name": "Test",
            "family_name": "Testersen",
            "birthdate": "1990-01-31",
            "country": "DK",
        }
        self.default_acr = DEFAULT_ACR
        self.issuer_override: str | None = None
        self.requests: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []

    def find(self, domain: str, realm: str) -> Application | None:
        return self.applications.get((domain, realm))

    def by_id(self, domain: str, app_id: str) -> Application | None:
        return next((a for a in self.applications.values() if a.domain == domain and a.id == app_id), None)

    def add(self, app: Application) -> None:
        self.applications[(app.domain, app.realm)] = app

    def remove(self, app: Application) -> None:
        self.applications.pop((app.domain, app.realm), None)

    def user_claims(self, acr: str) -> dict[str, Any]:
        person = uuid.uuid5(uuid.NAMESPACE_URL, f"{acr}/{self.user.get('name')}")
        now = time.time()
        return {
            **self.user,
            "identityscheme": identity_scheme(acr),
            "authenticationtype": acr,
            "authenticationmethod": acr,
            "authenticationinstant": _iso(now),
            "nameidentifier": person.hex,
            "sub": "{" + str(person) + "}",
            "sessionindex": str(uuid.uuid4()),
        }


def _iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
