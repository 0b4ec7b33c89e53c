"""No configuration value can become code: random strings (newlines, quotes, ``${``, ``%{``, ``*/``, unicode) in
every config field are either refused by the loader, or rendered to HCL that `terraform fmt` and `validate`
accept, with the value intact (Terraform itself evaluates every rendered literal back to the original string).

Hypothesis draws the values; the accepted ones are rendered, then checked in three Terraform processes in all:
one `fmt -check` over every render, one `validate` of a root calling the module once per case, one `apply` of
a root with no provider whose outputs are the encoded literals.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from idura_cognito.config import ConfigError, parse_config
from idura_cognito.encoding import expression
from idura_cognito.hcl.render import render
from tests.support.config import base_config, parsed_config, write_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform

FIELDS = (
    "idura.client_id",
    "idura.application_name",
    "idura.domain",
    "user_pool.name",
    "domain.prefix",
    "identity_provider.name",
    "identity_provider.scopes[]",
    "identity_provider.attributes.name",
    "pinned_eids.name",
    "pinned_eids.acr",
    "app_client.name",
    "app_client.callback_urls[]",
    "app_client.oauth_scopes[]",
    "tags.team",
    "backend.path",
)
NASTY = st.sampled_from(
    ["${", "%{", "}", '"', "\\", "*/", "/*", "#", "//", "\n", "\r", "\t", "\x00", "é", "☃", "😍", "\u202e"]
)
VALUES = st.lists(st.one_of(NASTY, st.text(max_size=6)), min_size=1, max_size=6).map("".join)
ACCEPTED: list[tuple[str, str, dict]] = []


def mutate(field: str, value: str) -> dict:
    config = base_config()
    stack = config["stacks"]["dev"]
    if field.startswith("pinned_eids."):
        entry = {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"} | {field.split(".")[1]: value}
        stack["pinned_eids"] = [entry]
    elif field.endswith("[]"):
        table, key = field[:-2].split(".")
        stack.setdefault(table, {})[key] = ["openid", value] if "scopes" in key else [value]
    elif field == "tags.team":
        stack["tags"] = {"team": value}
    elif field == "identity_provider.attributes.name":
        stack["identity_provider"] = {"attributes": {"name": value}}
    else:
        table, key = field.split(".")
        stack.setdefault(table, {})[key] = value
    return config


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=VALUES)
def test_every_value_is_refused_or_kept_for_rendering(field, value):
    config = mutate(field, value)
    try:
        parsed_config(config, "c.toml")
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("c.toml: stacks.dev")
        return
    ACCEPTED.append((field, value, copy.deepcopy(config)))


@pytest.fixture(scope="module")
def accepted():
    # The property test above collected them; fixed cases (all accepted) so the check never runs short.
    fixed = [
        ("idura.application_name", 'Acme "${jndi}" %{if x}*/ é ☃'),
        ("identity_provider.attributes.name", 'a"${b}%{c}\\'),
        ("app_client.callback_urls[]", "https://a.b/${x}%{y}"),
        ("idura.client_id", 'urn:${x}:%{y}:"q"'),
        # an eID name is also a key in moved.tf addresses (once written as JSON: "\ud83d\ude0d", not HCL)
        ("pinned_eids.name", "😍/*"),
        ("pinned_eids.name", "e${x}%{y}"),
        ("idura.application_name", 'Ærø \\ "q" */'),
        ("backend.path", "state/${x}%{y}.tfstate"),
        ("tags.team", "a:b/c+d=e@f"),
        ("app_client.logout_urls[]", "https://a.b/%{y}"),
    ]
    cases = ACCEPTED + [(f, v, mutate(f, v)) for f, v in fixed]
    return [(f, v, c) for f, v, c in cases if _valid(c)]


def _valid(config: dict) -> bool:
    try:
        parsed_config(config, "c.toml")
    except ConfigError:
        return False
    return True


def test_accepted_values_render_to_hcl_that_fmt_and_validate_accept_with_the_value_intact(
    accepted, tmp_path, cli_config
):
    # Ten fixed cases, and whatever the property test above kept (how many varies with hypothesis's draw).
    assert len(accepted) >= 10, len(accepted)
    roots = []
    for index, (_, _, config) in enumerate(accepted):
        path = tmp_path / f"case{index}.toml"
        write_config(path, config)
        stack = parse_config(path.read_text(), str(path)).stack("dev")
        out = tmp_path / f"case{index}"
        render(stack, out, str(path))
        roots.append(out)
    fmt = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(tmp_path)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr

    # One root calls the module once per case, with each case's rendered arguments: one validate for all.
    combined = tmp_path / "combined"
    combined.mkdir()
    (tmp_path / "case0" / "modules").rename(combined / "modules")
    blocks = []
    for index, root in enumerate(roots):
        module = (root / "main.tf").read_text().split('module "idura_application"', 1)[0]
        blocks.append(module.replace('module "idura_cognito" {', f'module "case{index}" {{', 1))
    (combined / "main.tf").write_text('provider "aws" {\n  region = "eu-north-1"\n}\n\n' + "\n".join(blocks))
    tf = TerraformDir.at(combined, cli_config)
    tf.run("init", "-backend=false", "-input=false")
    validated = tf.run("validate", check=False)
    assert validated.returncode == 0, validated.stdout + validated.stderr

    # Terraform evaluates every encoded literal back to the original value.
    literals = tmp_path / "literals"
    literals.mkdir()
    outputs = "\n".join(
        f'output "v{index}" {{\n  value = {expression(value, 1)}\n}}' for index, (_, value, _) in enumerate(accepted)
    )
    (literals / "main.tf").write_text(outputs + "\n")
    bare = TerraformDir.at(literals, tmp_path / "no-cli-config")
    bare.run("apply", "-auto-approve", "-input=false")
    values = json.loads(bare.run("output", "-json").stdout)
    for index, (_, value, _) in enumerate(accepted):
        assert values[f"v{index}"]["value"] == value


def test_the_templates_refuse_a_value_that_did_not_pass_the_encoder():
    from idura_cognito.hcl.render import _templates

    with pytest.raises(TypeError, match="did not pass the encoder"):
        _templates.from_string("x = {{ value }}").render(value='"; bad')


def test_comments_hold_values_only_as_encoded_strings(tmp_path):
    config = base_config()
    path = tmp_path / 'odd "name"\nwith newline.toml'
    write_config(path, config)
    stack = parse_config(path.read_text(), str(path)).stack("dev")
    render(stack, tmp_path / "out", str(path))
    header = (tmp_path / "out" / "versions.tf").read_text().splitlines()[0]
    assert re.fullmatch(
        r'# Generated by idura-cognito from ".*\\"name\\"\\nwith newline\.toml" \(stack "dev"\)\. .*', header
    )
