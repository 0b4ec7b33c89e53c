"""In-memory state of the emulator: applications, enabled eIDs, one-time codes, access tokens, SSO sessions, test
identities.

The emulator serves one tenant: every application it holds is the tenant's, whatever its domain (the process
serves its own host as the domain; the tests hold applications of the tenant's other domains through the admin
API)."""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .. import eids
from ..program.oidc import USERINFO_STRATEGIES, USERINFO_STRATEGY

DEFAULT_ACR = "urn:grn:authn:dk:mitid:substantial"
STRATEGIES = USERINFO_STRATEGIES

#: A test person per claim profile of Idura's eID table (eids.py): a value for every claim the profile can send
#: (test_fidelity.py checks the names against the table). Values are invented test data.
_ADDRESS = {"street_address": "Testvej 1", "postal_code": "1000", "locality": "Testby", "country": "DK"}
PEOPLE: dict[str, dict[str, Any]] = {
    "mitid": {
        "uuid": "7c2d1ae6-4b1e-4a62-9d7a-3a1f1b6c9e20",
        "name": "Test Testersen",
        "birthdate": "1990-01-31",
        "dateofbirth": "1990-01-31",
        "age": "36",
        "country": "DK",
        "cprNumberIdentifier": "3101901234",
        "address": _ADDRESS,
    },
    "mitid-business": {  # an employee (the signatory's claims are in the table, not emulated)
        "uuid": "0f6f0c6e-1b7e-4d59-8b0a-2c7a8f1f3e11",
        "cvrNumberIdentifier": "12345678",
        "2.5.4.10": "Test ApS",
        "name": "Test Testersen",
        "country": "DK",
        "employee": "true",
        "productionUnit": "1012345678",
        "ridNumberIdentifier": "12345678",
        "seNumber": "12345678",
    },
    "se-bankid": {
        "ssn": "199001312389",
        "name": "Test Testsson",
        "given_name": "Test",
        "family_name": "Testsson",
        "ipaddress": "192.0.2.10",
        "country": "SE",
        "evidence": "PHNpZ25hdHVyZT4=",
        "ocspResponse": "MIIHfgoBAKCCB3cw",
    },
    "freja": {
        "emailaddress": "testa@example.com",
        "phone_number": "+46701234567",
        "given_name": "Testa",
        "family_name": "Freja",
        "birthdate": "1988-05-05",
        "dateofbirth": "1988-05-05",
        "age": "38",
    },
    "no-bankid": {
        "name": "Test Nordmann",
        "given_name": "Test",
        "family_name": "Nordmann",
        "birthdate": "1985-03-04",
        "dateofbirth": "1985-03-04",
        "country": "NO",
        "uniqueuserid": "9578-6000-4-12345",
        "certissuer": "CN=BankID - TestBank1 - Bank CA 3,OU=123456789,O=TestBank1 AS,C=NO",
        "certsubject": "CN=Nordmann\\, Test,O=TestBank1 AS,C=NO",
        "socialno": "04038512345",
    },
    "vipps": {
        "name": "Test Vippsen",
        "given_name": "Test",
        "family_name": "Vippsen",
        "birthdate": "1991-09-09",
        "country": "NO",
        "emailaddress": "test.vippsen@example.com",
        "mobilephone": "4712345678",
        "address": _ADDRESS | {"country": "NO"},
        "socialno": "09099112345",
    },
    "ftn": {
        "name": "Testi Testinen",
        "given_name": "Testi",
        "family_name": "Testinen",
        "birthdate": "1970-07-07",
        "hetu": "070770-905D",
        "satu": "",
        "country": "FI",
    },
    "idin": {
        "country": "NL",
        "verified_claims": {"bin": "TESTBIN0000000000000000000001"},
        "family_name": "Testmans",
        "birthdate": "1980-02-02",
        "email": "test.testmans@example.com",
        "phone_number": "+31612345678",
    },
    "personalausweis": {
        "given_name": "ERIKA",
        "family_name": "MUSTERMANN",
        "birthdate": "1964-08-12",
        "birth_name": "GABLER",
        "place_of_birth": "BERLIN",
        "nationality": "D",
        "address": _ADDRESS | {"country": "D"},
        "document_type": "ID",
        "issuing_state": "D",
        "date_of_expiry": "2031-10-31",
        "residence_permit_i": "",
    },
    "oneid": {
        "name": "Test Oneid",
        "given_name": "Test",
        "family_name": "Oneid",
        "birthdate": "1975-04-04",
        "address": _ADDRESS | {"country": "GB"},
        "email": "test.oneid@example.com",
        "phone_number": "+447700900123",
    },
    "age-verification": {"http://ageverification.criipto.com": {"country": "DK", "is_over_18": True}},
    "mock": {"name": "Mock User"},
}
#: The conditions (eids.Claims.sometimes) the emulator's people meet: an employee, a BankID high login.
EMULATED_CONDITIONS = frozenset({"employees only", "BankID high only (not with biometrics)"})


def person_for(entry: eids.Eid, scopes: list[str]) -> dict[str, Any]:
    """What a login of ``entry``'s eID returns with ``scopes``: the claims the table says, as the dynamic scope
    strategy gives them (the emulator's applications honour scopes)."""
    claims = entry.claims
    names = claims.sent_with(tuple(scopes)) | {c for c, when in claims.sometimes.items() if when in EMULATED_CONDITIONS}
    return {name: value for name, value in PEOPLE[claims.profile].items() if name in names}


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
    #: The order of creation (EmulatorState.add): the collection's order, and its page cursor.
    seq: int = 0
    #: to_json() serialized, kept until a field is assigned (fields are assigned, never changed in place): a page
    #: of the collection joins these instead of serializing its applications on every read.
    _encoded: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "_encoded":
            object.__setattr__(self, "_encoded", None)
        object.__setattr__(self, name, value)

    def encoded(self) -> bytes:
        """to_json() as compact JSON (the bytes Starlette's JSONResponse would write)."""
        if self._encoded is None:
            text = json.dumps(self.to_json(), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            self._encoded = text.encode("utf-8")
        return self._encoded

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


#: The applications in one page of the collection unless the request's ``limit`` says otherwise, and the most
#: a request may ask for (our proposal, docs/idura-management-api.md "Paging").
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass
class SsoSession:
    """A person's SSO session on one Idura domain (docs verify/guides/sso.mdx:9-13): the eID methods they
    authenticated with, and the applications (client ids) it logged them into, which sign-out checks its
    ``post_logout_redirect_uri`` against."""

    id: str
    domain: str
    acrs: set[str] = field(default_factory=set)
    client_ids: set[str] = field(default_factory=set)


class EmulatorState:
    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        #: Every application of the tenant, in the order of creation; _by_domain holds the same per domain.
        self.applications: list[Application] = []
        self._by_domain: dict[str, list[Application]] = {}
        self._next_seq = 1
        #: Idura refuses a second application with a client id (realm) any application of the tenant has, on any
        #: of its domains. Tests switch the guard off to prove that a race really overlaps (then every create
        #: succeeds).
        self.unique_realms = True
        #: The collection in pages of page_size (a ``next`` link on each page but the last); off: the whole
        #: collection in one answer without links, as the 2018 API answered.
        self.paging = True
        self.page_size = PAGE_SIZE
        #: SSO on the domain (Idura: a setting per domain in the dashboard, sso.mdx:19): a session cookie lets an
        #: authorize for an eID method the person used complete without them.
        self.sso = True
        self.sessions: dict[str, SsoSession] = {}
        #: 0.2.0's client created with application/json, before the vendor media type (issue 24): the upgrade
        #: test lets the previous release deploy with this on, and turns it off before this tree runs.
        self.plain_json_creates = False
        #: The eIDs enabled on every domain the emulator serves (discovery lists them; authorize refuses others).
        self.enabled_acrs: list[str] = [entry.acr for entry in eids.DOCUMENTED]
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
        return [a for a in self._by_domain.get(domain, ()) if a.realm == realm]

    def find(self, domain: str, realm: str) -> Application | None:
        found = self.find_all(domain, realm)
        return found[0] if found else None

    def holder_of(self, realm: str) -> Application | None:
        """The tenant's application with client id ``realm``, on whichever domain."""
        return next((a for a in self.applications if a.realm == realm), None)

    def by_id(self, domain: str, app_id: str) -> Application | None:
        return next((a for a in self._by_domain.get(domain, ()) if a.id == app_id), None)

    def domains(self) -> list[str]:
        """The domains that hold an application, in the order their first one was made."""
        return [domain for domain, apps in self._by_domain.items() if apps]

    def add(self, app: Application) -> None:
        app.seq, self._next_seq = self._next_seq, self._next_seq + 1
        self.applications.append(app)
        self._by_domain.setdefault(app.domain, []).append(app)

    def remove(self, app: Application) -> None:
        self.applications = [a for a in self.applications if a is not app]
        self._by_domain[app.domain] = [a for a in self._by_domain[app.domain] if a is not app]

    def page(self, domain: str, after: int, limit: int) -> tuple[list[Application], bool]:
        """The domain's applications created after the one numbered ``after`` (0: from the first), at most
        ``limit``, and whether more follow. A cursor, not an offset: a create or delete during a read neither
        skips nor repeats an application."""
        apps = self._by_domain.get(domain, [])
        start = bisect.bisect_right(apps, after, key=lambda a: a.seq)
        return apps[start : start + limit], start + limit < len(apps)

    def user_claims(self, acr: str, scopes: list[str]) -> dict[str, Any]:
        """The claims of a login with ``acr``: the eID's test identity, as Idura's sample payloads are shaped."""
        entry = eids.BY_ACR.get(acr, eids.BY_ACR["urn:grn:authn:mock"])
        scheme = entry.scheme
        person = person_for(entry, scopes) if self.user_override is None else dict(self.user_override)
        subject = uuid.uuid5(uuid.NAMESPACE_URL, f"{acr}/{entry.claims.profile}")
        if entry.claims.profile == "age-verification":  # "random for each login" (age-verification.mdx:60)
            subject = uuid.uuid4()
        return {
            **({"identityscheme": scheme} if scheme else {}),
            "authenticationtype": acr,
            # The method, not the acr (docs src/JwtViewer/samples.ts: SoftwarePKI for the BankIDs, "pwd:..." for
            # MitID); the emulator says which eID it stands in for.
            "authenticationmethod": f"urn:idura:emulator:{entry.claims.profile}",
            "authenticationinstant": _iso(time.time()),
            "nameidentifier": subject.hex,
            "sub": "{" + str(subject) + "}",
            "sessionindex": str(uuid.uuid4()),
            **person,
        }


def _iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))
