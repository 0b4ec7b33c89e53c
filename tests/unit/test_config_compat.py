"""A config written for the previous release keeps working: every key of its config reference is still read, or
is renamed or removed with a warning for one release (idura_cognito/config/compat.py)."""

from __future__ import annotations

import re
import subprocess

import pytest

from devtools import project_docs
from idura_cognito.config import ConfigError, compat
from tests.support import releases
from tests.support.config import base_config, parsed_config

_KEY = re.compile(r"^\| `(?P<key>[^`]+)` \|", re.M)


def reference_keys(readme: str) -> set[str]:
    """The keys of a README's config reference, without the item markers ([] {} {}=) a release may show."""
    begin, end = readme.index(project_docs.CONFIG_BEGIN), readme.index(project_docs.CONFIG_END)
    return {re.sub(r"(\[\]|\{\}=?)$", "", m["key"]) for m in _KEY.finditer(readme[begin:end])}


PREVIOUS = releases.releases()[0]


def test_every_key_of_the_previous_release_is_read_renamed_or_removed():
    try:  # docs/configuration.md since 0.4; the README before
        previous = reference_keys(releases.file_at(PREVIOUS, "docs/configuration.md"))
    except subprocess.CalledProcessError:
        previous = reference_keys(releases.file_at(PREVIOUS, "README.md"))
    current = reference_keys(project_docs.config_reference() + project_docs.CONFIG_END)
    accounted = current | {r.old for r in compat.RENAMED} | {r.key for r in compat.REMOVED}
    assert previous, "the previous release's README has no config reference"
    assert sorted(previous - accounted) == []


def test_every_renamed_or_removed_key_is_in_upgrading_md():
    from tests.support.paths import ROOT

    text = (ROOT / "UPGRADING.md").read_text()
    for entry in compat.RENAMED:
        assert f"`{entry.old}`" in text and f"`{entry.new}`" in text, entry
    for entry in compat.REMOVED:
        assert f"`{entry.key}`" in text, entry


@pytest.fixture
def renamed(monkeypatch):
    """A rename as a later release would declare it: the old name of domain.prefix was domain.login_prefix."""
    monkeypatch.setattr(compat, "RENAMED", (compat.Renamed("domain.login_prefix", "domain.prefix", "9.9.0"),))
    monkeypatch.setattr(compat, "REMOVED", (compat.Removed("user_pool.mfa_hint", "9.9.0", "Cognito ignores it"),))


def test_a_renamed_key_is_read_under_its_old_name_with_a_warning_naming_the_new_one(renamed):
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"login_prefix": "acme-dev-login"}
    config["stacks"]["dev"]["user_pool"]["mfa_hint"] = "optional"
    loaded = parsed_config(config, "c.toml")
    assert loaded.stack("dev").domain.prefix == "acme-dev-login"
    assert loaded.warnings == (
        "c.toml: stacks.dev.domain.login_prefix: renamed to domain.prefix in 9.9.0; the old name is read for this "
        "release only: write domain.prefix instead",
        "c.toml: stacks.dev.user_pool.mfa_hint: removed in 9.9.0 and ignored: Cognito ignores it; delete the line",
    )


def test_a_renamed_key_in_defaults_is_read_too(renamed):
    config = base_config()
    config["defaults"]["domain"] = {"login_prefix": "shared"}
    del config["stacks"]["dev"]["domain"]
    loaded = parsed_config(config, "c.toml")
    assert loaded.stack("dev").domain.prefix == "shared"
    assert "defaults.domain.login_prefix: renamed to domain.prefix" in loaded.warnings[0]


def test_old_and_new_name_together_are_refused(renamed):
    config = base_config()
    config["stacks"]["dev"]["domain"] = {"login_prefix": "a-login", "prefix": "b-login"}
    with pytest.raises(ConfigError, match=r"stacks\.dev\.domain\.login_prefix: was renamed to domain\.prefix"):
        parsed_config(config, "c.toml")
