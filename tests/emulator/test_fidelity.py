"""docs/idura-fidelity.md and the acr table of docs/configuration.md stay in step with what the emulator and the
config accept."""

from __future__ import annotations

import base64
import re

from devtools import project_docs
from idura_verify.eids import BY_ACR, DOCUMENTED
from idura_verify.emulator.state import EMULATED_CONDITIONS, PEOPLE, person_for
from tests.support.paths import ROOT

FIDELITY = (ROOT / "docs" / "idura-fidelity.md").read_text()
README = (ROOT / "docs" / "configuration.md").read_text()  # the acr table lives with the config reference


def _block(text: str, name: str) -> str:
    match = re.search(rf"<!-- fidelity:{name} -->\n(.*?)<!-- /fidelity:{name} -->", text, re.S)
    assert match, f"docs/idura-fidelity.md lost its {name} block"
    return match.group(1)


def _table_rows(block: str) -> list[list[str]]:
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_the_discovery_fields_listed_are_exactly_the_ones_served(emulator):
    listed = set(re.findall(r"`([a-z_]+)`", _block(FIDELITY, "discovery")))
    served = set(emulator.get("/.well-known/openid-configuration").json())
    assert listed == served


def test_the_claims_table_is_generated_from_the_eid_table():
    assert project_docs.claims_per_eid() in FIDELITY  # `make generate` writes it


def test_each_test_person_carries_exactly_the_claims_the_eid_table_gives_its_profile():
    """The emulator cannot be kinder than the table: a person holds a value for every claim the profile can send
    (but the signatory-only ones: the emulated business user is an employee) and for no other."""
    profiles = {entry.claims.profile: entry.claims for entry in DOCUMENTED}
    assert set(PEOPLE) == set(profiles)
    for profile, claims in profiles.items():
        emulated = claims.every - {c for c, when in claims.sometimes.items() if when not in EMULATED_CONDITIONS}
        assert set(PEOPLE[profile]) == emulated, profile


def test_a_login_without_scopes_carries_only_what_the_static_strategy_gives():
    for entry in DOCUMENTED:
        person = person_for(entry, ["openid"])
        sometimes = {c for c, when in entry.claims.sometimes.items() if when in EMULATED_CONDITIONS}
        assert set(person) == entry.claims.always | sometimes, entry.acr
    assert person_for(BY_ACR["urn:grn:authn:se:frejaid"], ["openid"]) == {}  # only sub (a common claim)
    with_scope = person_for(BY_ACR["urn:grn:authn:se:frejaid"], ["openid", "frejaid:email_address"])
    assert set(with_scope) == {"emailaddress"}


def test_every_behaviour_row_names_a_source_or_says_assumption():
    sections = [
        FIDELITY.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
        for title in ("OIDC side", "Management side", "eIDs through Cognito")
    ]
    rows = [row for section in sections for row in _table_rows(section)]
    assert len(rows) >= 29
    for behaviour, _, source in rows:
        assert re.search(
            r"docs `|aws `|live https|auth-js|android|oidc-js|assumption|observation|RFC|test instr", source
        ), (
            behaviour,
            source,
        )


def test_the_acr_table_lists_every_documented_value_with_its_path_segment():
    section = README.split("### acr values", 1)[1].split("\n## ", 1)[0]
    rows = {row[0].strip("`"): row for row in _table_rows(section)}
    assert set(rows) == set(BY_ACR)
    for entry in DOCUMENTED:
        segment = rows[entry.acr][-1].strip("`")
        assert segment == entry.path_segment == base64.b64encode(entry.acr.encode()).decode()
