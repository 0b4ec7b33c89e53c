"""The doctor's Idura checks as pure functions: what the secret probe concludes from each answer, when it
refuses to send the secret at all, and the claims each pinned eID does not send."""

from __future__ import annotations

import httpx
import pytest

from idura_cognito.doctor import idura_checks
from tests.support.config import base_config, parsed_config

SECRET = "q+/Z9kQ1c0Yc3bq2Zf8rX1yJkV7mN0pL4sT6uW8xA2E="


def stack(**identity_provider):
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [
        {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"},
        {"name": "SE-BankID", "acr": "urn:grn:authn:se:bankid"},
    ]
    if identity_provider:
        config["stacks"]["dev"]["identity_provider"] = identity_provider
    return parsed_config(config, "c.toml").stack("dev")


ISSUER = "https://acme-corp.test.idura.broker"
DISCOVERY = {"token_endpoint": f"{ISSUER}/oauth2/token"}


def probe(status: int, body: dict | None, document=DISCOVERY, issuer=ISSUER):
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(status, json=body) if body is not None else httpx.Response(status)

    with httpx.Client(transport=httpx.MockTransport(handle)) as http:
        result, _verdict = idura_checks.client_secret(stack(), http, document, SECRET, issuer)
    return result, sent


def test_only_invalid_grant_passes_and_the_result_states_its_assumption():
    result, sent = probe(400, {"error": "invalid_grant", "error_description": "Unknown Access Code"})
    assert result.status == "pass"
    assert "assumes Idura authenticates the client before it looks at the code" in result.detail
    assert len(sent) == 1 and sent[0].url == DISCOVERY["token_endpoint"]


def test_invalid_client_fails_with_the_fix():
    result, _ = probe(401, {"error": "invalid_client"})
    assert result.status == "fail" and "idura.broker" not in result.fix
    assert "issue a new one in Idura's dashboard" in result.fix


@pytest.mark.parametrize(
    ("status", "body", "shown"),
    [
        (400, {"error": "invalid_request"}, "HTTP 400, error invalid_request"),
        (400, {}, "HTTP 400, error (none)"),
        (500, None, "HTTP 500, error (none)"),
        (200, {"access_token": "x"}, "HTTP 200, error (none)"),
    ],
)
def test_any_other_answer_is_inconclusive_never_a_pass(status, body, shown):
    result, _ = probe(status, body)
    assert result.status == "warn" and result.detail.startswith(f"inconclusive: {shown};")


@pytest.mark.parametrize(
    ("document", "issuer"),
    [
        (DISCOVERY, "https://attacker.example"),  # the provider trusts another issuer
        ({"token_endpoint": "http://acme-corp.test.idura.broker/oauth2/token"}, ISSUER),  # not https
        ({"token_endpoint": "https://attacker.example/oauth2/token"}, ISSUER),  # another host
        ({"token_endpoint": "https://acme-corp.test.idura.broker:8443/oauth2/token"}, ISSUER),  # another port
        ({"token_endpoint": "https://acme-corp.test.idura.broker:443@attacker.example/t"}, ISSUER),  # userinfo trick
        ({"token_endpoint": "https://exa mple/\x1b[2J"}, ISSUER),  # not a URL at all
        ({"token_endpoint": ["https://acme-corp.test.idura.broker/oauth2/token"]}, ISSUER),  # not a string
        ({}, ISSUER),
    ],
)
def test_the_secret_is_never_sent_to_another_party(document, issuer):
    result, sent = probe(400, {"error": "invalid_grant"}, document=document, issuer=issuer)
    assert result.status == "skip" and sent == []


def test_a_mapped_claim_that_a_pinned_eid_does_not_send_is_named():
    """A claim an eID never sends is refused at load time; a config built in code can still hold one (or the eID
    table learns of a change): the doctor names it with the eID's own mapping, and says what it does send."""
    import dataclasses

    built = stack(attributes={"name": "name"})
    mitid = dataclasses.replace(built.pinned_eids[0], attributes={"given_name": "given_name"})
    built = dataclasses.replace(built, pinned_eids=(mitid, built.pinned_eids[1]))
    results = {r.id: r for r in idura_checks.mapped_claims(built)}
    assert results["idura.claims.MitID"].status == "warn"
    assert results["idura.claims.MitID"].detail.startswith(
        "MitID, substantial assurance (dkmitid) never sends given_name (mapped to given_name); it sends: "
    )
    assert results["idura.claims.SE-BankID"].status == "pass"  # Swedish BankID sends name


def test_an_undocumented_acr_is_not_judged():
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "Future", "acr": "urn:grn:authn:xx:future"}]
    config["stacks"]["dev"]["identity_provider"] = {"attributes": {"name": "name"}}
    assert idura_checks.mapped_claims(parsed_config(config, "c.toml").stack("dev")) == []


def test_an_explicit_default_port_is_the_same_origin():
    assert idura_checks.same_origin("https://acme-corp.test.idura.broker:443/oauth2/token", ISSUER)
    assert not idura_checks.same_origin("https://acme-corp.test.idura.broker:444/oauth2/token", ISSUER)


@pytest.mark.parametrize(
    ("probe_verdict", "escrow_current", "fix_starts"),
    [
        ("accepted", None, "`idura-cognito secret put --stack dev --from-cognito`"),  # Cognito's works: fix escrow
        ("accepted", False, "`idura-cognito secret put --stack dev --from-cognito`"),
        ("rejected", True, "`idura-cognito deploy --stack dev`"),  # the escrow's is proven current
        ("rejected", None, ""),  # nothing proven: no fix line, both ways said in the detail
        ("unknown", None, ""),
    ],
)
def test_a_secret_mismatch_is_fixed_from_the_side_proven_to_work(probe_verdict, escrow_current, fix_starts):
    from idura_cognito.doctor import cognito_checks

    held = {"Idura": {"client_secret": "cognito-copy"}, "MitID": {"client_secret": "cognito-copy"}}
    result = cognito_checks.secrets_match(stack(), held, "escrowed-copy", probe_verdict, escrow_current)
    assert result.status == "fail" and result.fix.startswith(fix_starts) and (fix_starts or result.fix == "")
    # The providers are named as Cognito's providers, never as if "Idura" were the party holding the secret.
    assert "the Cognito identity provider(s) 'Idura', 'MitID' hold another secret than the escrow" in result.detail


def test_text_report_escapes_what_servers_sent():
    from idura_cognito.doctor.results import CheckResult, text_report

    hostile = CheckResult("idura.issuer", "Issuer", "fail", "discovery says 'x\r\x1b[32mPASS\x1b[0m  fake'", "")
    report = text_report("dev", [hostile], colour=False)
    assert "\x1b" not in report and "\r" not in report
    assert "\\x1b[32mPASS" in report
    # Bidirectional isolates and the Arabic letter mark reorder a line as a terminal shows it: escaped too.
    reordered = CheckResult("idura.issuer", "Issuer", "fail", "issuer \u2066https://evil\u2069 \u061cok", "")
    shown = text_report("dev", [reordered], colour=False)
    assert not any(c in shown for c in "\u2066\u2067\u2068\u2069\u061c")
    assert "\\u2066https://evil\\u2069 \\u061cok" in shown


def test_the_doctor_names_the_scope_or_the_condition_a_mapped_claim_needs():
    config = base_config()
    mapping = {"email": "emailaddress", "birthdate": "birthdate"}
    config["stacks"]["dev"]["pinned_eids"] = [
        {
            "name": "Freja",
            "acr": "urn:grn:authn:se:frejaid",
            "scopes": ["openid", "frejaid:age"],
            "attributes": mapping,
        },
        {"name": "Business", "acr": "urn:grn:authn:dk:mitid:business", "attributes": {"birthdate": "birthdate"}},
        {"name": "Vipps", "acr": "urn:grn:authn:no:vipps", "attributes": mapping},
    ]
    results = {r.id: r for r in idura_checks.mapped_claims(parsed_config(config, "c.toml").stack("dev"))}
    freja = results["idura.claims.Freja"].detail
    assert "sends birthdate (mapped to birthdate) only with scope frejaid:date_of_birth" in freja
    assert "sends emailaddress (mapped to email) only with scope frejaid:email_address" in freja
    assert (
        "sends birthdate (mapped to birthdate) for some users only (company signatories only)"
        in results["idura.claims.Business"].detail
    )
    assert results["idura.claims.Vipps"].status == "pass"  # Vipps sends emailaddress and birthdate
