"""`make demo`: the embedded config, managed mode, against its own moto and Idura emulator; run twice."""

from __future__ import annotations

import re

import pytest

from tests.support.cli import run_cli
from tests.support.paths import DEMO_CONFIG

# The config names moto itself (aws.endpoint_url): nothing else may point AWS calls there.
pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("endpoint_from_config_only")]
SCENARIO_SECONDS = 40  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)


def test_demo_deploys_logs_in_and_is_idempotent(tmp_path):
    """`make demo`: the embedded config, managed mode, against its own moto and Idura emulator; twice."""
    runs = [run_cli("demo", "--config", str(DEMO_CONFIG), cwd=tmp_path) for _ in range(2)]
    for result in runs:
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "Stack demo is deployed to local moto and the Idura emulator; a second plan has no changes." in out
        assert "redirect URL        https://acme-demo-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse" in out
        assert "at Idura            created (application app_" in out
        for idp in ("Idura", "MitID", "NO-BankID"):
            assert f"identity_provider={idp}&" in out
        assert "    MitID        ok, dkmitid: Test Testersen" in out
        assert "    NO-BankID    ok, nobankid-oidc: Test Nordmann" in out  # each eID its own test identity
        assert "STAND-IN for offline machines" in result.stderr  # said plainly whenever the stand-in is used
    assert _shape(runs[0].stdout) == _shape(runs[1].stdout)
    assert (tmp_path / ".demo" / "terraform.demo.tfstate").exists()


def _shape(output: str) -> list[str]:
    """The demo's output with the generated ids and ports taken out."""
    return [re.sub(r"[0-9a-f]{8,}|\d{4,5}", "#", line) for line in output.splitlines()]
