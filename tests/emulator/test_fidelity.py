"""docs/idura-fidelity.md and the README's acr table stay in step with what the emulator and the config accept."""

from __future__ import annotations

import base64
import re

from idura_verify.acr_values import BY_ACR, CLAIMS_BY_SCHEME, DOCUMENTED
from idura_verify.emulator.state import IDENTITIES
from tests.conftest import ROOT

FIDELITY = (ROOT / "docs" / "idura-fidelity.md").read_text()
README = (ROOT / "README.md").read_text()


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


def test_the_claims_table_is_what_each_test_identity_carries():
    table = {
        row[0].strip("`"): set(re.findall(r"`([^`]+)`", row[2])) for row in _table_rows(_block(FIDELITY, "claims"))
    }
    assert table == {scheme: set(person) for scheme, person in IDENTITIES.items()}
    assert table == {scheme: set(claims) for scheme, claims in CLAIMS_BY_SCHEME.items()}


def test_every_behaviour_row_names_a_source_or_says_assumption():
    sections = [
        FIDELITY.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0] for title in ("OIDC side", "Management side")
    ]
    rows = [row for section in sections for row in _table_rows(section)]
    assert len(rows) >= 20
    for behaviour, _, source in rows:
        assert re.search(r"docs `|auth-js|android|oidc-js|assumption|observation|RFC|test instrument", source), (
            behaviour,
            source,
        )


def test_the_readme_acr_table_lists_every_documented_value_with_its_path_segment():
    section = README.split("### acr values", 1)[1].split("\n## ", 1)[0]
    rows = {row[0].strip("`"): row for row in _table_rows(section)}
    assert set(rows) == set(BY_ACR)
    for entry in DOCUMENTED:
        segment = rows[entry.acr][-1].strip("`")
        assert segment == entry.path_segment == base64.b64encode(entry.acr.encode()).decode()
