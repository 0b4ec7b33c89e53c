"""Every eID Idura documents, as it behaves behind Cognito: the one table the config, the emulator, the doctor
and the README read (standard library only).

Each fact names its source. ``docs`` is the repository behind docs.idura.app, ``criipto/docs`` (read at commit
0458547, 2026-03-12; ``src/pages/verify/e-ids/X.mdx`` is served at https://docs.idura.app/verify/e-ids/X/),
``live`` a docs.idura.app page newer than that commit, ``aws`` the Cognito developer guide. A fact with no source
says **assumption**. Claims are those of Idura's default *static* scope strategy: what the dashboard's settings
for the eID give (``docs verify/getting-started/oidc-intro.mdx:517-522``: without "Enable dynamic scopes" Idura
ignores every scope but ``openid``); ``by_scope`` lists what a scope adds with dynamic scopes turned on.

What Cognito can do as Idura's OIDC client (``aws cognito-user-pools-oidc-idp.html``, Prerequisites): the code
flow with ``client_secret_post`` only, a userinfo call that must answer plain JSON, ``authorize_scopes`` fixed per
identity provider, no ``acr_values`` (a pinned eID uses Idura's path-encoded authorize URL instead, ``docs
verify/integrations/auth0.mdx:44-55``), no signed request objects, no private_key_jwt, no encrypted tokens.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field

#: How an eID fares through Cognito.
WORKS = "works"  # a plain OIDC client gets the user's data with the scopes in the table
NEEDS_SCOPES = "needs scopes"  # without the right scopes the login works but carries no user data (or fails)
REFUSED = "refused"  # a documented requirement Cognito cannot meet: the config refuses to pin it


@dataclass(frozen=True)
class Claims:
    """What a login returns besides the claims every token carries (COMMON_CLAIMS)."""

    #: A name for this set of claims (the emulator keeps a test person per profile).
    profile: str
    #: Sent with Idura's default static scope strategy (the dashboard's settings for the eID).
    always: frozenset[str]
    #: scope -> the claims it adds (dynamic scopes on the Idura application).
    by_scope: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: claim -> when it is sent, for claims that depend on the user or a dashboard setting, not on a scope.
    sometimes: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    #: The top-level claim that carries the person's national identity number ("" when the eID sends none a
    #: Cognito mapping can read), and the one that identifies the person stably across logins (``sub`` when the
    #: eID documents no identifier of its own). A config maps them as ``@national_id`` and ``@person_id``.
    national_id: str = ""
    person_id: str = "sub"
    #: Why there is no national id claim, when there is none.
    no_national_id: str = ""

    @property
    def every(self) -> frozenset[str]:
        """Every claim this eID can send."""
        return self.always.union(*self.by_scope.values(), self.sometimes)

    def sent_with(self, scopes: tuple[str, ...]) -> frozenset[str]:
        return self.always.union(*(self.by_scope.get(scope, frozenset()) for scope in scopes))

    def scope_for(self, claim: str) -> str | None:
        """The first scope that adds ``claim`` (None when no scope does)."""
        return next((scope for scope, claims in self.by_scope.items() if claim in claims), None)


@dataclass(frozen=True)
class Eid:
    acr: str
    eid: str  # what Idura calls it
    country: str  # ISO 3166 code, "" when not national
    scheme: str  # the identityscheme claim of its tokens ("" when Idura documents none)
    claims: Claims
    #: WORKS, NEEDS_SCOPES or REFUSED, and why (one sentence with its source).
    cognito: str = WORKS
    why: str = ""
    #: A prefix of which exactly one scope must be given (UK OneID's product scope), else "".
    one_scope_of: str = ""
    source: str = ""
    #: Where Idura's own documents disagree, or what is not documented.
    note: str = ""

    @property
    def path_segment(self) -> str:
        """The ``<BASE64(acr)>`` path segment of the eID's pinned endpoints (standard alphabet, with padding)."""
        return base64.b64encode(self.acr.encode("utf-8")).decode("ascii")

    def needs_scope_warning(self, scopes: tuple[str, ...]) -> str | None:
        """A NEEDS_SCOPES eID pinned without any scope that gives user data: what the login then carries."""
        if self.cognito != NEEDS_SCOPES or any(scope in self.claims.by_scope for scope in scopes):
            return None
        return self.why


# -- claims per eID -------------------------------------------------------------------------------------------

_D = "docs src/snippets/jwt-payloads/"
MITID = Claims(
    "mitid",
    always=frozenset({"uuid", "name", "birthdate", "dateofbirth", "age", "country"}),
    by_scope={"ssn": frozenset({"cprNumberIdentifier"}), "address": frozenset({"address"})},
    source=f"{_D}danish-mitid.mdx:5-13; docs src/JwtViewer/samples.ts MITID_CITIZEN (dateofbirth); "
    "docs verify/e-ids/danish-mitid.mdx:76-78 (CPR: the dashboard's 'Add CPR', or scope ssn), :96-98 (address)",
    national_id="cprNumberIdentifier",
    person_id="uuid",
)
MITID_BUSINESS = Claims(
    "mitid-business",
    always=frozenset({"uuid", "cvrNumberIdentifier", "2.5.4.10", "name", "country"}),
    sometimes={
        "employee": "employees only",
        "productionUnit": "employees only",
        "ridNumberIdentifier": "employees only",
        "seNumber": "employees only",
        "companySignatory": "company signatories only",
        "cprNumberIdentifier": "company signatories only",
        "birthdate": "company signatories only",
        "age": "company signatories only",
    },
    source=f"{_D}danish-mitid-erhverv.mdx:5-16 (employee: no birthdate, no CPR); "
    f"{_D}danish-mitid-erhverv-company-signatory.mdx:5-16; docs verify/e-ids/danish-mitid-erhverv.mdx:67,81-85",
    national_id="cprNumberIdentifier",  # company signatories only (sometimes)
    person_id="uuid",
)
SE_BANKID = Claims(
    "se-bankid",
    always=frozenset({"ssn", "name", "given_name", "family_name", "ipaddress", "country"}),
    by_scope={"evidence": frozenset({"evidence", "ocspResponse"})},
    source=f"{_D}swedish-bankid.mdx:5-13; docs verify/e-ids/swedish-bankid.mdx:18-47 (evidence)",
    national_id="ssn",
)
FREJA = Claims(
    "freja",
    always=frozenset(),
    by_scope={
        "frejaid:email_address": frozenset({"emailaddress"}),
        "frejaid:all_phone_numbers": frozenset({"phone_number"}),
        "frejaid:basic_user_info": frozenset({"given_name", "family_name"}),
        "frejaid:date_of_birth": frozenset({"birthdate", "dateofbirth"}),
        "frejaid:age": frozenset({"age"}),
    },
    source="docs verify/e-ids/frejaid.mdx:131-155 (only sub without scopes; the frejaid: scopes); "
    f"{_D}swedish-frejaid.mdx:5-92 (claim names); which claim each scope adds: assumption from the names",
    no_national_id="Freja sends the personal number nested in details.requestedAttributes (scope frejaid:ssn, "
    "docs verify/e-ids/frejaid.mdx:151-157), and a Cognito mapping reads top-level claims only",
)
NO_BANKID = Claims(
    "no-bankid",
    always=frozenset(
        {"name", "given_name", "family_name", "birthdate", "dateofbirth", "country", "uniqueuserid", "certissuer"}
    ),
    by_scope={"ssn": frozenset({"socialno"})},
    sometimes={"certsubject": "BankID high only (not with biometrics)"},
    source=f"{_D}norwegian-bankid.mdx:5-17, norwegian-bankid-biometric.mdx:5-24; "
    "docs verify/e-ids/norwegian-bankid.mdx:110-112 (ssn)",
    national_id="socialno",
    person_id="uniqueuserid",
)
VIPPS = Claims(
    "vipps",
    always=frozenset(
        {"name", "given_name", "family_name", "birthdate", "country", "emailaddress", "mobilephone", "address"}
    ),
    by_scope={"ssn": frozenset({"socialno"})},
    source=f"{_D}vipps-mobilepay.mdx:5-22 (emailaddress and mobilephone, not email and phone_number); "
    "docs verify/e-ids/vipps-mobilepay.mdx:27-32 (static: address, email, phone, birthdate always; SSN if the "
    "tenant asks for it)",
    national_id="socialno",
)
FTN = Claims(
    "ftn",
    always=frozenset({"name", "given_name", "family_name", "birthdate", "hetu", "satu", "country"}),
    source=f"{_D}finnish-trust-network.mdx:5-14",
    national_id="hetu",
)
IDIN = Claims(
    "idin",
    always=frozenset({"country", "verified_claims"}),
    by_scope={
        "idin:full-id": frozenset({"family_name", "birthdate", "email", "phone_number", "verified_claims"}),
        "idin:age-verification": frozenset({"verified_claims"}),
    },
    source="docs verify/e-ids/dutch-idin.mdx:24-26 (no scope: Safe login, no user data), :38-178 (samples)",
    no_national_id="iDIN carries no national id number (no BSN; docs verify/e-ids/dutch-idin.mdx:24-26)",
)
PERSONALAUSWEIS = Claims(
    "personalausweis",
    always=frozenset(),
    by_scope={
        "odis:Profile1": frozenset({"given_name", "family_name", "birthdate", "birth_name", "place_of_birth"}),
        "odis:Profile2": frozenset(
            {"given_name", "family_name", "birthdate", "birth_name", "place_of_birth", "nationality", "address"}
        ),
        "odis:Profile3": frozenset(
            {
                "given_name",
                "family_name",
                "birthdate",
                "birth_name",
                "place_of_birth",
                "nationality",
                "address",
                "document_type",
                "issuing_state",
                "date_of_expiry",
                "residence_permit_i",
            }
        ),
    },
    source="docs verify/e-ids/german-personalausweis.mdx:124-163 (profiles; Pseudonym by default); "
    f"{_D}german-personalausweis.mdx:5-26",
    no_national_id="the Personalausweis profiles carry no national id number "
    "(docs verify/e-ids/german-personalausweis.mdx:124-163)",
)
ONEID = Claims(
    "oneid",
    always=frozenset(),
    by_scope={
        "oneid:profile": frozenset({"name", "given_name", "family_name"}),
        "oneid:date_of_birth": frozenset({"birthdate"}),
        "oneid:address": frozenset({"address"}),
        "oneid:email": frozenset({"email"}),
        "oneid:phone": frozenset({"phone_number"}),
    },
    source="live https://docs.idura.app/verify/e-ids/united-kingdom-oneid (the oneid: scopes); claim names: "
    "assumption from OneID's own docs (https://docs.oneid.uk/services/oidc), Idura publishes no sample",
    no_national_id="Idura documents no national id claim for OneID",
)
AGE_VERIFICATION = Claims(
    "age-verification",
    always=frozenset({"http://ageverification.criipto.com"}),
    source=f"{_D}age-verification.mdx:5-9",
    no_national_id="age verification carries only its verdict",
    person_id="",
)
MOCK = Claims(
    "mock",
    always=frozenset({"name"}),
    source="assumption: the SDKs' mock eID (idura-verify-android eid/Mock.kt)",
    no_national_id="the mock eID has no national id",
)

# -- the eIDs -------------------------------------------------------------------------------------------------

_FTN_WHY = (
    "Finnish Trust Network cannot log in through Cognito: since 31 August 2025 Idura requires private_key_jwt "
    "client authentication, signed request objects and encrypted tokens for it (docs.idura.app/verify/e-ids/"
    "finnish-trust-network), and Cognito's OIDC client sends client_secret_post and reads plain JSON only"
)
_FTN_SOURCE = "docs verify/e-ids/finnish-trust-network.mdx:15-25; aws cognito-user-pools-oidc-idp.html"
_AGE_WHY = (
    "age verification cannot work through Cognito: it needs an Idura application of its own type (not this "
    "stack's), a login_hint=country:XX on every login that Cognito does not add per identity provider, and its "
    "sub is random on every login, so each check would create a new Cognito user; call Idura from your "
    "application for age checks"
)

DOCUMENTED: tuple[Eid, ...] = (
    Eid("urn:grn:authn:dk:mitid:low", "MitID, low assurance", "DK", "dkmitid", MITID,
        source="docs snippets/login-methods.mdx:15-82"),
    Eid("urn:grn:authn:dk:mitid:substantial", "MitID, substantial assurance", "DK", "dkmitid", MITID,
        source="docs snippets/login-methods.mdx:15-82"),
    Eid("urn:grn:authn:dk:mitid:high", "MitID, high assurance", "DK", "dkmitid", MITID,
        source="docs verify/e-ids/danish-mitid.mdx:207,215",
        note="documented only in prose, missing from the login-methods lists"),
    Eid("urn:grn:authn:dk:mitid:business", "MitID Erhverv (business)", "DK", "dkmitid", MITID_BUSINESS,
        source="docs verify/e-ids/danish-mitid-erhverv.mdx:72"),
    Eid("urn:grn:authn:se:bankid", "BankID (the user chooses the device)", "SE", "sebankid", SE_BANKID,
        source="docs snippets/login-methods.mdx:15-82"),
    Eid("urn:grn:authn:se:bankid:same-device", "BankID on the same device", "SE", "sebankid", SE_BANKID,
        source="docs snippets/login-methods.mdx:15-82"),
    Eid("urn:grn:authn:se:bankid:another-device", "BankID on another device", "SE", "sebankid", SE_BANKID,
        source="docs snippets/login-methods.mdx:45"),
    Eid("urn:grn:authn:se:bankid:another-device:qr", "BankID on another device, QR code", "SE", "sebankid",
        SE_BANKID, source="docs snippets/login-methods.mdx:15-82"),
    Eid("urn:grn:authn:se:frejaid", "Freja eID", "SE", "sefrejaid", FREJA, cognito=NEEDS_SCOPES,
        why="without frejaid: scopes Idura returns only sub (docs.idura.app/verify/e-ids/frejaid); give it e.g. "
        'scopes = ["openid", "frejaid:email_address"] and turn on dynamic scopes on the Idura application',
        source="docs verify/e-ids/frejaid.mdx:14",
        note="the Extended and Plus scopes also need login_hint=minregistrationlevel:..., which Cognito does not "
        "add per identity provider (assumption: untested)"),
    Eid("urn:grn:authn:no:bankid", "BankID (the user chooses)", "NO", "nobankid-oidc", NO_BANKID,
        source="docs verify/e-ids/norwegian-bankid.mdx:17"),
    Eid("urn:grn:authn:no:bankid:substantial", "BankID, substantial (app with biometrics)", "NO",
        "nobankid-oidc", NO_BANKID, source="docs snippets/login-methods-and-path-encoded.mdx:22"),
    Eid("urn:grn:authn:no:bankid:high", "BankID, high", "NO", "nobankid-oidc", NO_BANKID,
        source="docs verify/e-ids/norwegian-bankid.mdx:17"),
    Eid("urn:grn:authn:no:vipps", "Vipps MobilePay", "NO", "novippslogin", VIPPS,
        source="docs snippets/login-methods.mdx:29"),
    Eid("urn:grn:authn:fi:bank-id", "Finnish Trust Network, bank ID", "FI", "fitupas", FTN, cognito=REFUSED,
        why=_FTN_WHY, source=_FTN_SOURCE,
        note="docs snippets/login-methods-and-path-encoded.mdx:87 spells it urn:grn:authn:fi:bankid; every other "
        "page and the token samples spell it fi:bank-id"),
    Eid("urn:grn:authn:fi:mobile-id", "Finnish Trust Network, mobile ID", "FI", "fitupas", FTN, cognito=REFUSED,
        why=_FTN_WHY, source=_FTN_SOURCE),
    Eid("urn:grn:authn:fi:all", "Finnish Trust Network, bank or mobile ID", "FI", "fitupas", FTN,
        cognito=REFUSED, why=_FTN_WHY, source=_FTN_SOURCE),
    Eid("urn:grn:authn:nl:idin", "iDIN", "NL", "nlidin", IDIN, cognito=NEEDS_SCOPES,
        why="without an idin: scope iDIN is Safe login, with no user data in the token (docs.idura.app/verify/"
        'e-ids/dutch-idin); give it e.g. scopes = ["openid", "idin:full-id"]',
        source="docs verify/e-ids/dutch-idin.mdx:30"),
    Eid("urn:grn:authn:de:personalausweis", "Personalausweis (German ID card)", "DE", "deadesso",
        PERSONALAUSWEIS, cognito=NEEDS_SCOPES,
        why="without a profile the Personalausweis gives only a pseudonym (docs.idura.app/verify/e-ids/"
        'german-personalausweis); set the profile in Idura\'s dashboard, or scopes = ["openid", "odis:Profile1"] '
        "with dynamic scopes",
        source="docs verify/e-ids/german-personalausweis.mdx:13",
        note="Idura's shared test environment requires a txinfo login_hint on every request (:187), which Cognito "
        "does not add per identity provider"),
    Eid("urn:grn:authn:uk:oneid", "OneID (UK)", "GB", "", ONEID, cognito=NEEDS_SCOPES,
        why="OneID needs exactly one oneid:product: scope on every login and oneid: data scopes for user data "
        "(docs.idura.app/verify/e-ids/united-kingdom-oneid); give it e.g. "
        'scopes = ["openid", "oneid:product:id_proof", "oneid:profile"]',
        one_scope_of="oneid:product:",
        source="live https://docs.idura.app/verify/e-ids/united-kingdom-oneid",
        note="not in the docs repository snapshot; identityscheme undocumented"),
    Eid("urn:age-verification", "age verification (Nordic eIDs)", "", "", AGE_VERIFICATION, cognito=REFUSED,
        why=_AGE_WHY, source="docs verify/guides/age-verification.mdx:27,46-48,60"),
    Eid("urn:grn:authn:mock", "the mock eID (test domains)", "", "mock", MOCK,
        source="assumption: the SDKs' mock eID (idura-verify-android eid/Mock.kt); no docs page"),
)  # fmt: skip

#: A pinned acr with one of these prefixes is one of the documented FTN values, spelled as some page spells it.
REFUSED_PREFIXES = {"urn:grn:authn:fi:": _FTN_WHY, "urn:age-verification": _AGE_WHY}

#: Claims in every token whatever the eID (besides iss, aud, iat, nbf, exp, nonce): docs src/JwtViewer/samples.ts.
#: authenticationmethod is the method (e.g. urn:oasis:names:tc:SAML:2.0:ac:classes:SoftwarePKI for BankID), not
#: the acr; authenticationtype is the acr.
COMMON_CLAIMS = frozenset(
    {
        "sub",
        "identityscheme",
        "authenticationtype",
        "authenticationmethod",
        "authenticationinstant",
        "nameidentifier",
        "sessionindex",
    }
)

BY_ACR: dict[str, Eid] = {entry.acr: entry for entry in DOCUMENTED}


def is_documented(acr: str) -> bool:
    return acr in BY_ACR


def refusal(acr: str) -> str | None:
    """Why an acr cannot be pinned through Cognito (None: it can)."""
    entry = BY_ACR.get(acr)
    if entry is not None and entry.cognito == REFUSED:
        return entry.why
    return next((why for prefix, why in REFUSED_PREFIXES.items() if acr.startswith(prefix)), None)


def undocumented_warning(acr: str) -> str:
    return (
        f"{acr!r} is not an acr value Idura documents (a typo fails only in production): check it against "
        "https://docs.idura.app/verify/e-ids/ and the README's acr table"
    )
