"""``login_hint`` as Idura documents it (research Q1, docs/idura-fidelity.md), and the national ids each eID's
login carries with and without the ``ssn`` scope, exactly as the eID table (idura_verify.eids) says."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from idura_verify.eids import DOCUMENTED
from idura_verify.emulator.state import EMULATED_CONDITIONS
from tests.emulator.test_oidc import MITID, NO_BANKID_PATH, _id_token, authorize

NO_BANKID = "urn:grn:authn:no:bankid"
#: The national id claims the table names: Norway's fødselsnummer, Denmark's CPR, Finland's HETU, Sweden's
#: personnummer.
NATIONAL_IDS = ("socialno", "cprNumberIdentifier", "hetu", "ssn")


def test_acr_values_and_scope_hints_log_in_with_norwegian_bankid_and_its_national_id(emulator, application):
    """Through the plain (non-pinned) domain, as an intermediary that passes only login_hint would."""
    _, claims = _id_token(emulator, application, login_hint=f"acr_values:{NO_BANKID} scope:ssn")
    assert claims["authenticationtype"] == NO_BANKID and claims["identityscheme"] == "nobankid-oidc"
    assert claims["socialno"]


def test_without_the_scope_hint_norwegian_bankid_sends_no_national_id(emulator, application):
    _, claims = _id_token(emulator, application, login_hint=f"acr_values:{NO_BANKID}")
    assert claims["authenticationtype"] == NO_BANKID and "socialno" not in claims


def test_other_hints_are_accepted_and_ignored(emulator, application):
    hints = f"sub:3101901234 appswitch:ios acr_values:{MITID} message:SGVq scope:ssn country:DK"
    _, claims = _id_token(emulator, application, login_hint=hints)
    assert claims["authenticationtype"] == MITID and claims["cprNumberIdentifier"]


def test_the_acr_values_parameter_and_the_pinned_path_come_before_the_hint(emulator, application):
    _, by_parameter = _id_token(emulator, application, acr_values=MITID, login_hint=f"acr_values:{NO_BANKID}")
    _, by_path = _id_token(
        emulator, application, path=f"/{NO_BANKID_PATH}/oauth2/authorize", login_hint=f"acr_values:{MITID}"
    )
    assert by_parameter["authenticationtype"] == MITID and by_path["authenticationtype"] == NO_BANKID


def test_a_hint_with_two_eids_is_refused(emulator, application):
    refused = authorize(emulator, login_hint=f"acr_values:{MITID} acr_values:{NO_BANKID}")
    query = parse_qs(urlsplit(refused.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and "code" not in query
    assert query["error_description"] == ["login_hint may name one acr_values, not several"]


def test_a_hinted_eid_must_be_enabled_on_the_domain(emulator, application):
    from tests.support.inprocess_emulator import ADMIN

    emulator.put("/_emulator/eids", headers=ADMIN, json=[MITID])
    refused = authorize(emulator, login_hint=f"acr_values:{NO_BANKID}")
    assert parse_qs(urlsplit(refused.headers["location"]).query)["error"] == ["invalid_request"]


def _expected_national_ids(entry, scopes: tuple[str, ...]) -> set[str]:
    sometimes = {c for c, when in entry.claims.sometimes.items() if when in EMULATED_CONDITIONS}
    return (entry.claims.sent_with(scopes) | sometimes) & set(NATIONAL_IDS)


@pytest.mark.parametrize("scopes", [("openid",), ("openid", "ssn")], ids=["openid", "openid ssn"])
def test_each_login_carries_the_national_ids_the_table_gives_its_eid_and_scopes(emulator, application, scopes):
    for entry in DOCUMENTED:  # one emulator for all (each one makes RSA keys)
        _, claims = _id_token(emulator, application, acr_values=entry.acr, scope=" ".join(scopes))
        assert {c for c in NATIONAL_IDS if c in claims} == _expected_national_ids(entry, scopes), entry.acr


#: Spelled out, so a wrong row in the table shows here too (sources: research Q7, the eID table).
WHERE_IDURA_PUTS_THEM = [
    ("urn:grn:authn:no:bankid", "openid", set()),
    ("urn:grn:authn:no:bankid", "openid ssn", {"socialno"}),
    ("urn:grn:authn:no:vipps", "openid ssn", {"socialno"}),
    (MITID, "openid", set()),
    (MITID, "openid ssn", {"cprNumberIdentifier"}),
    ("urn:grn:authn:dk:mitid:business", "openid ssn", set()),  # an employee: CPR only for signatories
    ("urn:grn:authn:fi:bank-id", "openid", {"hetu"}),
    ("urn:grn:authn:se:bankid", "openid", {"ssn"}),
]


def test_the_national_ids_where_idura_s_pages_put_them(emulator, application):
    for acr, scope, national_ids in WHERE_IDURA_PUTS_THEM:
        _, claims = _id_token(emulator, application, acr_values=acr, scope=scope)
        assert {c for c in NATIONAL_IDS if c in claims} == national_ids, (acr, scope)
