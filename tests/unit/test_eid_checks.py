"""The config against Idura's eID table: eIDs that cannot work through Cognito are refused with the reason, eIDs
that need scopes warn without them, and a mapped claim that only a scope brings warns naming the scope."""

from __future__ import annotations

import pytest

from idura_cognito.config import ConfigError
from tests.support.cli import run_cli
from tests.support.config import base_config, parsed_config, write_config

S = "idura-cognito.toml: stacks.dev"


def parse(pins: list[dict], attributes: dict | None = None, scopes: list[str] | None = None):
    config = base_config()
    stack = config["stacks"]["dev"]
    stack["pinned_eids"] = pins
    if attributes or scopes:
        stack["identity_provider"] = {"attributes": attributes or {}} | ({"scopes": scopes} if scopes else {})
    return parsed_config(config)


def refusal(pins: list[dict]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(pins)
    return str(caught.value)


@pytest.mark.parametrize(
    "acr", ["urn:grn:authn:fi:bank-id", "urn:grn:authn:fi:bankid", "urn:grn:authn:fi:mobile-id", "urn:grn:authn:fi:all"]
)
def test_finnish_trust_network_is_refused_with_the_reason_whatever_the_spelling(acr):
    message = refusal([{"name": "FTN", "acr": acr}])
    assert message.startswith(f"{S}.pinned_eids[0].acr: Finnish Trust Network cannot log in through Cognito: ")
    assert "private_key_jwt" in message and "client_secret_post" in message and "\n" not in message


def test_age_verification_is_refused_with_the_reason():
    message = refusal([{"name": "Age", "acr": "urn:age-verification"}])
    assert message.startswith(f"{S}.pinned_eids[0].acr: age verification cannot work through Cognito: ")
    assert "login_hint=country:XX" in message and "random" in message


def test_the_cli_refuses_ftn_in_one_line_and_writes_nothing(tmp_path):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "FTN", "acr": "urn:grn:authn:fi:bank-id"}]
    path = write_config(tmp_path / "idura-cognito.toml", config)
    result = run_cli("hcl", "--config", str(path), "--stack", "dev", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_oneid_needs_exactly_one_product_scope():
    good = parse([{"name": "OneID", "acr": "urn:grn:authn:uk:oneid", "scopes": ["openid", "oneid:product:id_proof"]}])
    assert good.stacks["dev"].pinned_eids[0].scopes == ("openid", "oneid:product:id_proof")
    none = refusal([{"name": "OneID", "acr": "urn:grn:authn:uk:oneid"}])
    assert none.startswith(f"{S}.pinned_eids[0].scopes: OneID (UK) needs exactly one oneid:product:* scope")
    two = refusal(
        [
            {
                "name": "OneID",
                "acr": "urn:grn:authn:uk:oneid",
                "scopes": ["openid", "oneid:product:id_proof", "oneid:product:age_check"],
            }
        ]
    )
    assert "(found 2)" in two


def test_an_eid_that_needs_scopes_warns_without_them_and_not_with_them():
    bare = parse([{"name": "Freja", "acr": "urn:grn:authn:se:frejaid"}])
    assert bare.warnings == (
        f"{S}.pinned_eids[0].scopes: Freja: without frejaid: scopes Idura returns only sub (docs.idura.app/verify/"
        'e-ids/frejaid); give it e.g. scopes = ["openid", "frejaid:email_address"] and turn on dynamic scopes on '
        "the Idura application",
    )
    scoped = parse([{"name": "Freja", "acr": "urn:grn:authn:se:frejaid", "scopes": ["openid", "frejaid:age"]}])
    assert scoped.warnings == ()
    idin = parse([{"name": "iDIN", "acr": "urn:grn:authn:nl:idin"}])
    assert "iDIN is Safe login, with no user data" in idin.warnings[0]


def test_a_mapped_claim_that_only_a_scope_brings_warns_naming_the_scope():
    project = parse(
        [
            {
                "name": "Freja",
                "acr": "urn:grn:authn:se:frejaid",
                "scopes": ["openid", "frejaid:age"],
                "attributes": {"email": "emailaddress"},
            },
            {
                "name": "MitID",
                "acr": "urn:grn:authn:dk:mitid:substantial",
                "attributes": {"custom:cpr": "@national_id"},
            },
        ]
    )
    assert project.warnings == (
        f"{S}.pinned_eids[0]: Freja: Freja eID sends emailaddress (mapped to email) only with scope "
        "frejaid:email_address (dynamic scopes on the Idura application; with static scopes, only if the dashboard's "
        "settings for Freja eID include it): add it to this eID's scopes",
        f"{S}.pinned_eids[1]: MitID: MitID, substantial assurance sends cprNumberIdentifier (mapped to custom:cpr) only "
        "with scope ssn (dynamic scopes on the Idura application; with static scopes, only if the dashboard's "
        "settings for MitID, substantial assurance include it): add it to this eID's scopes",
    )
    given = parse(
        [
            {
                "name": "MitID",
                "acr": "urn:grn:authn:dk:mitid:substantial",
                "scopes": ["openid", "ssn"],
                "attributes": {"custom:cpr": "cprNumberIdentifier"},
            }
        ]
    )
    assert given.warnings == ()


def test_vipps_sends_emailaddress_so_mapping_it_warns_nothing():
    project = parse([{"name": "Vipps", "acr": "urn:grn:authn:no:vipps", "attributes": {"email": "emailaddress"}}])
    assert project.warnings == ()


def test_a_claim_a_pinned_eid_never_sends_is_refused_at_load_time():
    """The review's fintech: the picker's mapping of MitID's CPR claim reached Norwegian BankID, which sends
    socialno. Refused with the key, what the eID does send, and the fix."""
    message = refusal(
        [{"name": "NO-BankID", "acr": "urn:grn:authn:no:bankid", "attributes": {"custom:nid": "cprNumberIdentifier"}}]
    )
    assert message.startswith(
        f"{S}.pinned_eids[0].attributes.custom:nid: BankID (the user chooses) (nobankid-oidc) never sends "
        "cprNumberIdentifier (mapped to custom:nid); it sends: "
    )
    assert "socialno" in message and "\n" not in message
    inherited = pytest.raises(ConfigError)
    with inherited as caught:
        parse(
            [{"name": "NO-BankID", "acr": "urn:grn:authn:no:bankid"}], attributes={"custom:nid": "cprNumberIdentifier"}
        )
    assert str(caught.value).startswith(f"{S}.pinned_eids[0].attributes: ")
    assert str(caught.value).endswith(
        "give pinned_eids[0] attributes of its own (it uses identity_provider.attributes)"
    )


@pytest.mark.parametrize(
    ("acr", "claim"),
    [
        ("urn:grn:authn:dk:mitid:substantial", "cprNumberIdentifier"),
        ("urn:grn:authn:no:bankid", "socialno"),
        ("urn:grn:authn:se:bankid", "ssn"),
        ("urn:grn:authn:no:vipps", "socialno"),
    ],
)
def test_national_id_names_the_claim_each_eid_uses(acr, claim):
    project = parse(
        [{"name": "EID", "acr": acr, "scopes": ["openid", "ssn"], "attributes": {"custom:nid": "@national_id"}}]
    )
    assert project.stacks["dev"].pinned_eids[0].attributes == {"custom:nid": claim}


def test_national_id_of_an_eid_that_has_none_says_why():
    message = refusal([{"name": "iDIN", "acr": "urn:grn:authn:nl:idin", "attributes": {"custom:nid": "@national_id"}}])
    assert message == (
        f"{S}.pinned_eids[0].attributes.custom:nid: @national_id: iDIN carries no national id number (no BSN; docs "
        "verify/e-ids/dutch-idin.mdx:24-26)"
    )
    person = parse([{"name": "NOBankID", "acr": "urn:grn:authn:no:bankid", "attributes": {"custom:pid": "@person_id"}}])
    assert person.stacks["dev"].pinned_eids[0].attributes == {"custom:pid": "uniqueuserid"}


def test_the_picker_is_warned_about_claims_not_every_eid_sends():
    project = parse([], attributes={"custom:cpr": "cprNumberIdentifier"})
    (warning,) = project.warnings
    assert warning.startswith(f"{S}.identity_provider.attributes: custom:cpr <- cprNumberIdentifier is never sent by ")
    assert "Norwegian BankID" in warning and "their users get custom:cpr empty" in warning


def test_an_eid_s_own_scopes_must_include_openid():
    message = refusal([{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:low", "scopes": ["ssn"]}])
    assert message == f"{S}.pinned_eids[0].scopes: must include 'openid' (Cognito's OIDC federation needs it)"


def test_the_rule_table_refuses_exactly_the_prefixes_the_eid_table_refuses():
    """The module's validation (generated from the rule's prefixes) and the loader (eids.refusal) agree: one list."""
    from idura_verify import eids
    from idura_verify.program.rules import CONSTRAINTS

    (constraint,) = [c for c in CONSTRAINTS if getattr(c, "prefixes", None)]
    assert set(constraint.prefixes) == set(eids.REFUSED_PREFIXES)
    for entry in eids.DOCUMENTED:
        refused = entry.cognito == eids.REFUSED
        assert (eids.refusal(entry.acr) is not None) == refused, entry.acr
