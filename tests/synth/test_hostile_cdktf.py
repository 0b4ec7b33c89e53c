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
        assert any(value in text for text in seen), f"{key}: Terraform never sees {value!r} as text"
    for text in seen:
        assert "${probe" in text or "%{probe" in text, f"an expression was evaluated: {text!r}"
