"""No config value becomes code in the CDKTF rendering either (tests/hcl/test_hostile_values.py does the HCL).

Every string config field is given a value carrying a template (``${...}`` and ``%{...}``) where its rule lets
it, in one config; the others must be refused by the rule table. The synthesized JSON is then read by Terraform
itself: each JSON string that carries a probe is evaluated by ``terraform console`` (as a local of a scratch
root), and what Terraform sees must be the config value, never the result of an expression.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from idura_cognito.config import ConfigError
from idura_cognito.config.fields import FIELDS
from tests.support.cli import run_cli
from tests.support.config import base_config, parsed_config, write_config

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 15


def _hostile(value: str, number: int) -> str:
    return f"{value}${{probe{number}}}%{{probe{number}}}"


def _place(config: dict, key: str, value) -> None:
    target = config["stacks"]["dev"]
    parts = key.removesuffix("[]").removesuffix("{}=").removesuffix("{}").split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _strings(node, found: list[str]) -> list[str]:
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, list):
        for item in node:
            _strings(item, found)
    elif isinstance(node, dict):
        for key, item in node.items():
            _strings(key, found)
            _strings(item, found)
    return found


def test_a_template_in_any_config_value_is_refused_or_reaches_terraform_as_text(tmp_path):
    accepted: dict[str, str] = {}
    config = base_config()
    config["stacks"]["dev"]["backend"] = {"type": "s3", "bucket": "acme-state", "key": "k", "region": "eu-west-1"}
    config["stacks"]["dev"]["idura"]["secret_source"] = "managed"  # the program's query carries config values too
    for number, field in enumerate(f for f in FIELDS if f.kind in ("string", "strings") and f.rule):
        if field.key in ("stack", "pinned_eids[].name", "pinned_eids[].acr") or field.key.startswith("adopt."):
            continue
        example = field.example if field.example is not None else "x"
        base = example[0] if isinstance(example, tuple) else example
        value = _hostile(base, number)
        trial = json.loads(json.dumps(config))
        _place(trial, field.key, [value] if field.kind == "strings" else value)
        if field.key.startswith("backend.") and field.key not in ("backend.key", "backend.project", "backend.path"):
            continue
        if field.key in ("backend.project", "backend.path"):
            continue  # other backend types: below
        try:
            parsed_config(trial, "c.toml")
        except ConfigError:
            continue  # the rule table refuses it: it never reaches a file
        config, accepted[field.key] = trial, value
    # An existing resource server reaches Terraform only inside a client's scope that names it.
    if "existing_resource_servers[]" in accepted:
        client = config["stacks"]["dev"]["app_client"]
        client["oauth_scopes"] = [
            *client.get("oauth_scopes", ["openid"]),
            accepted["existing_resource_servers[]"] + "/read",
        ]
        parsed_config(config, "c.toml")
    # Names that a template may hide in: pinned eID names and the cloud backend's project.
    config["stacks"]["dev"]["pinned_eids"] = [{"name": "Mit${probe90}ID", "acr": "urn:grn:authn:dk:mitid:low"}]
    accepted["pinned_eids[].name"] = "Mit${probe90}ID"
    path = tmp_path / "idura-cognito.toml"
    write_config(path, config)
    cloud = json.loads(json.dumps(config))
    cloud["stacks"]["dev"]["backend"] = {
        "type": "cloud",
        "organization": "acme",
        "workspace": "w",
        "project": "P${probe91}",
    }
    cloud_path = tmp_path / "cloud.toml"
    write_config(cloud_path, cloud)
    accepted["backend.project"] = "P${probe91}"
    assert {"idura.client_id", "idura.application_name", "app_client.callback_urls[]", "backend.key"} <= set(accepted)

    documents = []
    for source, out in ((path, tmp_path / "out"), (cloud_path, tmp_path / "cloud.out")):
        result = run_cli("synth", "--config", str(source), "--out", str(out), "--no-cache", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        documents.append(json.loads((out / "stacks" / "dev" / "cdk.tf.json").read_text()))
    # Strings that carry a probe's template syntax (escaped or not); names derived from a value (a resource name,
    # the escrow's slug) hold the word only and are not templates.
    # A backend's settings are read literally from JSON, never as a template (test below): not carriers here.
    backends = [d["terraform"].pop("backend", None) or d["terraform"].pop("cloud", None) for d in documents]
    assert backends[0]["s3"]["key"] == accepted["backend.key"]
    assert backends[1]["workspaces"]["project"] == accepted["backend.project"]
    carriers = sorted({s for d in documents for s in _strings(d, []) if re.search(r"[$%]\{probe", s)})
    assert carriers, "no config value reached the JSON"
    # What Terraform sees: each carrier as a local of a scratch root, evaluated by terraform console.
    scratch = tmp_path / "console"
    scratch.mkdir()
    (scratch / "probe.tf.json").write_text(json.dumps({"locals": {f"p{i}": s for i, s in enumerate(carriers)}}))
    (scratch / "empty.tfrc").write_text("")
    shown = subprocess.run(
        ["terraform", "console"],
        input="jsonencode([" + ", ".join(f"local.p{i}" for i in range(len(carriers))) + "])\n",
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TF_CLI_CONFIG_FILE": str(scratch / "empty.tfrc")},
    )
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(json.loads(shown.stdout.strip().splitlines()[-1]))
    assert len(seen) == len(carriers)
    for key, value in accepted.items():
        if key.startswith("backend."):
            continue  # read literally from the backend block, asserted above
        assert any(value in text for text in seen), f"{key}: Terraform never sees {value!r} as text"
    for text in seen:
        assert "${probe" in text or "%{probe" in text, f"an expression was evaluated: {text!r}"


ODD_PATHS = ["state-${env}.tfstate", "state %{if x} é.tfstate", "states/$${x}.tfstate", "a {b} $ % .tfstate"]


def test_both_renderings_name_the_same_local_state_file(tmp_path, cli_config):
    """A backend's settings are literal in Terraform's JSON and templates in HCL. For odd state paths, the
    backend block of the synthesized stack and of the rendered root, each run by Terraform itself (init, then an
    apply that writes the state), create the same file."""
    config = base_config()
    template = config["stacks"].pop("dev")
    for n, path in enumerate(ODD_PATHS):
        config["stacks"][f"s{n}"] = template | {"backend": {"type": "local", "path": path}}
    source = write_config(tmp_path / "idura-cognito.toml", config)
    assert run_cli("synth", "--config", str(source), "--out", "out", "--no-cache", cwd=tmp_path).returncode == 0
    for n, path in enumerate(ODD_PATHS):
        stack = f"s{n}"
        rendered = run_cli("hcl", "--config", str(source), "--stack", stack, "--out", f"hcl-{stack}", cwd=tmp_path)
        assert rendered.returncode == 0, rendered.stderr
        synthesized = json.loads((tmp_path / "out" / "stacks" / stack / "cdk.tf.json").read_text())
        versions = (tmp_path / f"hcl-{stack}" / "versions.tf").read_text()
        block = re.search(r'  backend "local" \{\n(.*?)\n  \}', versions, re.S).group(1)
        roots = {
            "cdktf": (tmp_path / "out" / "stacks" / stack, "probe.tf.json",
                      json.dumps({"terraform": {"backend": synthesized["terraform"]["backend"]},
                                  "output": {"x": {"value": "1"}}})),
            "hcl": (tmp_path / f"hcl-{stack}", "probe.tf",
                    f'terraform {{\n  backend "local" {{\n{block}\n  }}\n}}\noutput "x" {{ value = "1" }}\n'),
        }  # fmt: skip
        created = {}
        for rendering, (where, name, text) in roots.items():
            scratch = tmp_path / f"{rendering}-{stack}" / where.relative_to(tmp_path)  # the same depth
            scratch.mkdir(parents=True)
            (scratch / name).write_text(text)
            env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config)}
            for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
                done = subprocess.run(["terraform", *args, "-no-color"], cwd=scratch, env=env, capture_output=True,
                                      text=True, timeout=120)  # fmt: skip
                assert done.returncode == 0, done.stdout + done.stderr
            created[rendering] = sorted(
                p.relative_to(tmp_path / f"{rendering}-{stack}").as_posix()
                for p in (tmp_path / f"{rendering}-{stack}").rglob("*.tfstate")
                if ".terraform" not in p.parts
            )
        assert created["cdktf"] == created["hcl"] == [path], (path, created)


@pytest.mark.parametrize("key", ["idura.application_name", "app_client.callback_urls[]", "tags{}="])
def test_text_cdktf_reads_as_a_number_token_is_refused_with_one_line(tmp_path, key):
    """CDKTF decodes a number-like run such as -8.10956221259138e+298 in any string as one of its tokens: the
    synthesized stack held "Acme ${local.escrow_has_value ? 1 : 0}". The config refuses it, naming the key."""
    config = base_config()
    value = {"idura.application_name": "Acme -8.10956221259138e+298",
             "app_client.callback_urls[]": ["https://app.acme.com/cb?n=-8.10956221259138e+298"],
             "tags{}=": {"team": "-1.8881545897087626e+289"}}[key]  # fmt: skip
    _place(config, key, value)
    path = write_config(tmp_path / "idura-cognito.toml", config)
    result = run_cli("synth", "--config", str(path), "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "which CDKTF reads as one of its number tokens" in result.stderr
    assert not (tmp_path / "out").exists()
