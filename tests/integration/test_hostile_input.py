"""Hostile input (hypothesis): the program's stdin, the config file and the command line.

Every bad input is refused with one line naming the key, the documented exit code, no traceback, nothing
written, and (for the program) no request reaching the emulator.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idura_cognito.config import ConfigError
from tests.support.cli import run_cli
from tests.support.config import base_config, parsed_config, write_config
from tests.support.program import environment as program_environment
from tests.support.program import query as program_query
from tests.support.program import run_program as run_the_program

KEYS = ("idura_domain", "client_id", "application_name", "redirect_uris", "cognito_host", "have_secret")
GOOD = program_query("acme.idura.broker", "urn:idura:x", application_name="X")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

BAD_DOMAINS = st.sampled_from(
    [
        "http://acme.idura.broker",
        "acme.idura.broker/path",
        "acme idura.broker",
        "acme.idura.broker\n",
        "javascript:x",
        "user@acme.idura.broker",
        "ACME.IDURA.BROKER",
        "-acme.idura.broker",
        "acme",
        "",
        "acme.idura.broker:443",
        "../etc/passwd",
        "acme.idura.broker?x=1",
        "ａｃｍｅ.idura.broker",
        "x" * 300,
    ]
)
BAD_URLS = st.sampled_from(
    [
        "http://a.example/cb",
        "javascript:alert(1)",
        "https://a.example/cb\nX-Injected: 1",
        "https://a .example/cb",
        "https://user:pw@a.example/cb",
        "https://a.example/cb#frag",
        "ftp://a.example/cb",
        "https://",
        "//a.example",
        "data:text/html,x",
        "https://a.example/\u0000",
    ]
)


def run_program(idura, raw: str):
    return run_the_program(raw, program_environment(idura.environment()), timeout=60)


def assert_refused(process, key: str | None, idura_admin):
    assert process.returncode == 1, process.stdout
    assert process.stdout == ""
    assert process.stderr.count("\n") == 1 and process.stderr.startswith("idura_application: query")
    assert "Traceback" not in process.stderr
    if key:
        assert f"query.{key}" in process.stderr
    management = [r for r in idura_admin.requests() if r["route"] in ("find", "create", "update", "secret", "delete")]
    assert management == []


@SETTINGS
@given(
    raw=st.one_of(
        st.text(max_size=200),
        st.binary(max_size=100).map(lambda b: b.decode("latin-1")),
        st.sampled_from(["", "null", "[]", "1", '"x"', "{", "[{}]"]),
    )
)
def test_stdin_that_is_not_a_json_object(idura, idura_admin, raw):
    try:
        if isinstance(json.loads(raw), dict):
            return  # an object: other tests cover objects
    except ValueError:
        pass
    idura_admin.clear_requests()
    assert_refused(run_program(idura, raw), None, idura_admin)


@SETTINGS
@given(
    key=st.sampled_from(KEYS),
    value=st.one_of(
        st.integers(),
        st.none(),
        st.booleans(),
        st.lists(st.text(max_size=3)),
        st.dictionaries(st.text(max_size=3), st.text(max_size=3)),
    ),
)
def test_non_string_values(idura, idura_admin, key, value):
    idura_admin.clear_requests()
    assert_refused(run_program(idura, json.dumps(GOOD | {key: value})), key, idura_admin)


@SETTINGS
@given(
    missing=st.sampled_from(KEYS),
    unknown=st.text(min_size=1, max_size=20).filter(lambda k: k not in KEYS and k != "escrowed_secret_id"),
)
def test_missing_and_unknown_keys(idura, idura_admin, missing, unknown):
    without = {k: v for k, v in GOOD.items() if k != missing}
    idura_admin.clear_requests()
    assert_refused(run_program(idura, json.dumps(without)), missing, idura_admin)
    assert_refused(run_program(idura, json.dumps(GOOD | {unknown: "x"})), None, idura_admin)


@SETTINGS
@given(domain=BAD_DOMAINS)
def test_wrong_or_dangerous_domains(idura, idura_admin, domain):
    idura_admin.clear_requests()
    assert_refused(run_program(idura, json.dumps(GOOD | {"idura_domain": domain})), "idura_domain", idura_admin)


@SETTINGS
@given(url=BAD_URLS, extra=st.lists(st.sampled_from(["https://ok.example/cb"]), max_size=2))
def test_wrong_or_dangerous_redirect_urls(idura, idura_admin, url, extra):
    idura_admin.clear_requests()
    raw = json.dumps(GOOD | {"redirect_uris": json.dumps([*extra, url])})
    assert_refused(run_program(idura, raw), "redirect_uris", idura_admin)


@SETTINGS
@given(
    client_id=st.one_of(
        st.just(""),
        st.text(min_size=256, max_size=300),
        st.sampled_from(["a b", "a\tb", "a\nb", "\u0000", "x\u200b", "urn:idura:\u00a0x"]),
    ),
    have_secret=st.sampled_from(["yes", "True", "1", "", "false "]),
    name=st.sampled_from(["", " padded", "x" * 101, "line\nbreak"]),
)
def test_odd_client_ids_flags_and_names(idura, idura_admin, client_id, have_secret, name):
    idura_admin.clear_requests()
    assert_refused(run_program(idura, json.dumps(GOOD | {"client_id": client_id})), "client_id", idura_admin)
    assert_refused(run_program(idura, json.dumps(GOOD | {"have_secret": have_secret})), "have_secret", idura_admin)
    assert_refused(run_program(idura, json.dumps(GOOD | {"application_name": name})), "application_name", idura_admin)


def test_very_long_input_is_refused_before_parsing(idura, idura_admin):
    idura_admin.clear_requests()
    process = run_program(idura, json.dumps(GOOD | {"client_id": "x" * 70_000}))
    assert process.stderr == "idura_application: query: larger than 65536 bytes\n"
    assert_refused(process, None, idura_admin)


# -- the config file: any mutation is either valid or one ConfigError naming the key -------------------------

VALUES = st.one_of(
    st.text(max_size=40),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
PATHS = st.sampled_from(
    [
        "aws.region",
        "aws.endpoint_url",
        "idura.domain",
        "idura.client_id",
        "idura.application_name",
        "idura.secret_source",
        "user_pool.name",
        "user_pool.existing_id",
        "domain.prefix",
        "domain.custom",
        "domain.managed_login_version",
        "identity_provider.name",
        "identity_provider.scopes",
        "app_client.callback_urls",
        "app_client.logout_urls",
        "app_client.oauth_scopes",
        "backend.type",
        "pinned_eids",
        "unknown_key",
    ]
)


@settings(max_examples=300, deadline=None)
@given(path=PATHS, value=VALUES)
def test_config_mutations_are_valid_or_one_clear_error(path, value):
    config = base_config()
    node = config["stacks"]["dev"]
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    try:
        parsed_config(config, "c.toml")
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith("c.toml: stacks.dev") and "\n" not in message
    except Exception as exc:  # noqa: BLE001 - the property: nothing but ConfigError escapes
        pytest.fail(f"{type(exc).__name__} escaped for {path}={value!r}: {exc}")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("idura.domain", "https://evil.example/x"),
        ("domain.prefix", "BAD"),
        ("app_client.callback_urls", ["javascript:alert(1)"]),
    ],
)
def test_cli_refuses_bad_config_with_exit_2_and_writes_nothing(tmp_path, path, value):
    config = base_config()
    section, key = path.split(".")
    config["stacks"]["dev"][section][key] = value
    file = tmp_path / "c.toml"
    write_config(file, config)
    for command in (
        ["hcl", "--stack", "dev", "--out", str(tmp_path / "out")],
        ["secret", "put", "--stack", "dev"],
    ):
        result = run_cli(*command, "--config", str(file), input="s3cret")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and f"stacks.dev.{path}" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["hcl"], ["doctor"], ["secret", "put"], ["nope"], ["hcl", "--stack"], ["--bogus"]])
def test_cli_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "usage: idura-cognito" in result.stderr
