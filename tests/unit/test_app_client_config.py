"""Bad app client config: one line naming the key and what is allowed, exit 2, nothing written."""

from __future__ import annotations

import pytest

from idura_cognito.config import ConfigError
from tests.support.cli import run_cli
from tests.support.config import base_config, parsed_config, write_config

WEB = {"callback_urls": ["https://app.acme.com/callback"]}


def with_clients(clients: dict) -> dict:
    config = base_config()
    del config["stacks"]["dev"]["app_client"]
    config["stacks"]["dev"]["app_clients"] = clients
    return config


CASES = {
    "duplicate names": (
        {"web": WEB | {"name": "Acme"}, "spa": WEB | {"name": "acme"}},
        "stacks.dev.app_clients.spa.name: 'acme' is already the name of client 'web'",
    ),
    "an identity provider the stack does not have": (
        {"web": WEB | {"identity_providers": ["SE-BankID"]}},
        "stacks.dev.app_clients.web.identity_providers: 'SE-BankID' is not an identity provider of this stack; it has: "
        "Idura",
    ),
    "a public client with client_credentials": (
        {"api": {"oauth_flows": ["client_credentials"], "oauth_scopes": ["api/read"]}},
        "stacks.dev.app_clients.api.oauth_flows: client_credentials needs a confidential client (generate_secret",
    ),
    "more clients than Cognito's quota": (
        {f"c{i}": WEB for i in range(1001)},
        "stacks.dev.app_clients: 1001 clients: Cognito allows 1000 per user pool",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_clients_are_refused_in_one_line_naming_the_key(case):
    clients, expected = CASES[case]
    with pytest.raises(ConfigError) as refused:
        parsed_config(with_clients(clients), "idura-cognito.toml")
    assert "\n" not in str(refused.value)
    assert expected in str(refused.value), str(refused.value)


def test_the_cli_exits_2_and_writes_nothing(tmp_path):
    clients, _ = CASES["duplicate names"]
    path = write_config(tmp_path / "idura-cognito.toml", with_clients(clients))
    result = run_cli("synth", "--config", str(path), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
