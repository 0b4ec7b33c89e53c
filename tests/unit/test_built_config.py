"""A StackConfig built or changed in code is checked with the loader's rules (config/built_checks.py): the
construct refuses what the loader would, so no value reaches a stack around the file's checks."""

from __future__ import annotations

import dataclasses

import pytest

from idura_cognito.config import ConfigError
from idura_cognito.config.built_checks import check_built
from tests.support.config import base_config, parsed_config


def loaded():
    config = base_config()
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}]
    return parsed_config(config, "idura-cognito.toml").stack("dev")


def test_what_the_loader_built_passes():
    check_built(loaded())


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        (
            lambda s: dataclasses.replace(
                s, aws=dataclasses.replace(s.aws, endpoint_url="http://attacker.example:8080")
            ),
            "stacks.dev.aws.endpoint_url",
            "is not allowed",
        ),
        (
            lambda s: dataclasses.replace(s, idura=dataclasses.replace(s.idura, domain="evil.example/x")),
            "stacks.dev.idura.domain",
            "is not allowed",
        ),
        (
            lambda s: dataclasses.replace(
                s, app_clients=(dataclasses.replace(s.app_clients[0], callback_urls=("javascript:alert(1)",)),)
            ),
            "stacks.dev.app_clients.default.callback_urls",
            "is not allowed",
        ),
        (lambda s: dataclasses.replace(s, tags={"team": "a\u2066b"}), "stacks.dev.tags.team", "invisible character"),
        (
            lambda s: dataclasses.replace(
                s, idura=dataclasses.replace(s.idura, application_name="Acme -8.10956221259138e+298")
            ),
            "stacks.dev.idura.application_name",
            "CDKTF",
        ),
    ],
    ids=["endpoint", "idura domain", "callback", "bidi in a tag", "cdktf number token"],
)
def test_a_value_changed_in_code_is_refused_like_one_from_a_file(change, key, says):
    with pytest.raises(ConfigError) as refused:
        check_built(change(loaded()))
    assert refused.value.key == key and says in refused.value.message
    assert str(refused.value).startswith("(in a StackConfig built in code): ")


def test_the_construct_refuses_it_before_anything_is_synthesized(tmp_path):
    from idura_cognito.stacks import IduraCognitoStack
    from idura_cognito.stacks.cdk import App

    stack = loaded()
    bad = dataclasses.replace(stack, aws=dataclasses.replace(stack.aws, endpoint_url="http://attacker.example:8080"))
    app = App(outdir=str(tmp_path / "out"))
    with pytest.raises(ConfigError, match="aws.endpoint_url"):
        IduraCognitoStack(app, "dev", bad, project_dir=tmp_path)
