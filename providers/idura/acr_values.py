"""The acr values Idura documents, per eID (standard library only).

Sources (docs.idura.app, repository criipto/docs, and Idura's SDKs; see docs/idura-fidelity.md):
``verify/e-ids/*.mdx``, ``snippets/login-methods.mdx``, ``verify/guides/age-verification.mdx``; the mock eID only
appears in the SDKs (idura-verify-android ``eid/Mock.kt``). A well-formed ``urn:`` value outside this list is
accepted with a warning: Idura adds eIDs, and a typo is the more likely cause.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentedAcr:
    acr: str
    eid: str  # what Idura calls it
    country: str  # ISO 3166 code, "" when not national
    scheme: str  # the identityscheme claim of its tokens

    @property
    def claims(self) -> frozenset[str]:
        """The user claims this eID sends without extra scopes (docs.idura.app sample payloads)."""
        return CLAIMS_BY_SCHEME[self.scheme]

    @property
    def path_segment(self) -> str:
        """The ``<BASE64(acr)>`` path segment of the eID's pinned endpoints (standard alphabet, with padding)."""
        return base64.b64encode(self.acr.encode("utf-8")).decode("ascii")


DOCUMENTED: tuple[DocumentedAcr, ...] = (
    DocumentedAcr("urn:grn:authn:dk:mitid:low", "MitID, low assurance", "DK", "dkmitid"),
    DocumentedAcr("urn:grn:authn:dk:mitid:substantial", "MitID, substantial assurance", "DK", "dkmitid"),
    DocumentedAcr("urn:grn:authn:dk:mitid:high", "MitID, high assurance", "DK", "dkmitid"),
    DocumentedAcr("urn:grn:authn:dk:mitid:business", "MitID Erhverv (business)", "DK", "dkmitid"),
    DocumentedAcr("urn:grn:authn:se:bankid", "BankID (the user chooses the device)", "SE", "sebankid"),
    DocumentedAcr("urn:grn:authn:se:bankid:same-device", "BankID on the same device", "SE", "sebankid"),
    DocumentedAcr("urn:grn:authn:se:bankid:another-device", "BankID on another device", "SE", "sebankid"),
    DocumentedAcr("urn:grn:authn:se:bankid:another-device:qr", "BankID on another device, QR code", "SE", "sebankid"),
    DocumentedAcr("urn:grn:authn:se:frejaid", "Freja eID", "SE", "sefrejaid"),
    DocumentedAcr("urn:grn:authn:no:bankid", "BankID (the user chooses)", "NO", "nobankid-oidc"),
    DocumentedAcr(
        "urn:grn:authn:no:bankid:substantial", "BankID, substantial (app with biometrics)", "NO", "nobankid-oidc"
    ),
    DocumentedAcr("urn:grn:authn:no:bankid:high", "BankID, high", "NO", "nobankid-oidc"),
    DocumentedAcr("urn:grn:authn:no:vipps", "Vipps MobilePay", "NO", "novippslogin"),
    DocumentedAcr("urn:grn:authn:fi:bank-id", "Finnish Trust Network, bank ID", "FI", "fitupas"),
    DocumentedAcr("urn:grn:authn:fi:mobile-id", "Finnish Trust Network, mobile ID", "FI", "fitupas"),
    DocumentedAcr("urn:grn:authn:fi:all", "Finnish Trust Network, bank or mobile ID", "FI", "fitupas"),
    DocumentedAcr("urn:grn:authn:nl:idin", "iDIN", "NL", "nlidin"),
    DocumentedAcr("urn:grn:authn:de:personalausweis", "Personalausweis (German ID card)", "DE", "deadesso"),
    DocumentedAcr("urn:age-verification", "age verification (Nordic eIDs)", "", "ageverification"),
    DocumentedAcr("urn:grn:authn:mock", "the mock eID (test domains)", "", "mock"),
)

#: Claims each eID sends without extra scopes, from the sample payloads in Idura's docs
#: (``snippets/jwt-payloads/*.mdx``, ``src/JwtViewer/samples.ts``, ``verify/e-ids/*.mdx``). Scopes such as
#: ``ssn`` or ``address`` add more (e.g. MitID's cprNumberIdentifier); the mapping should not rely on them.
CLAIMS_BY_SCHEME: dict[str, frozenset[str]] = {
    "dkmitid": frozenset({"name", "birthdate", "dateofbirth", "age", "country", "uuid"}),
    "sebankid": frozenset({"name", "given_name", "family_name", "ssn", "country", "ipaddress"}),
    "sefrejaid": frozenset({"given_name", "family_name", "birthdate", "dateofbirth", "age", "emailaddress"}),
    "nobankid-oidc": frozenset(
        {"name", "given_name", "family_name", "birthdate", "dateofbirth", "country", "uniqueuserid"}
    ),
    "novippslogin": frozenset({"name", "given_name", "family_name", "birthdate", "country"}),
    "fitupas": frozenset({"name", "given_name", "family_name", "birthdate", "dateofbirth", "hetu", "country", "satu"}),
    "nlidin": frozenset({"family_name", "birthdate"}),
    "deadesso": frozenset({"given_name", "family_name", "birthdate", "nationality", "place_of_birth"}),
    "ageverification": frozenset({"http://ageverification.criipto.com"}),
    "mock": frozenset({"name"}),
}
#: Claims in every token whatever the eID (besides iss, aud, iat, nbf, exp, nonce).
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

BY_ACR: dict[str, DocumentedAcr] = {entry.acr: entry for entry in DOCUMENTED}


def is_documented(acr: str) -> bool:
    return acr in BY_ACR


def claims_sent(acr: str) -> frozenset[str] | None:
    """Every claim a login with ``acr`` carries without extra scopes; None for an undocumented acr."""
    entry = BY_ACR.get(acr)
    return None if entry is None else entry.claims | COMMON_CLAIMS


def undocumented_warning(acr: str) -> str:
    return (
        f"{acr!r} is not an acr value Idura documents (a typo fails only in production): check it against "
        "https://docs.idura.app/verify/e-ids/ and the README's acr table"
    )
