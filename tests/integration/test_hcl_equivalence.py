"""Same infrastructure, proven: the CDKTF synth and the rendered HCL plan the same resources with the same values.

For the embedded demo (managed, two pinned eIDs) and an existing pool with two pinned eIDs (hand-registered),
both renderings are planned against the same moto and emulator state; `terraform show -json` of each plan is
compared resource by resource after normalizing addresses (the module prefix, `[0]` of count-based singletons,
and `eid["MitID"]` of the module's for_each <-> `eid_mitid` of the CDKTF stack). Any difference fails.
Data sources are not compared: the external program is deliberately run differently (the synthesizing Python
and the repo's file in CDKTF; `python3` and the shipped zipapp in HCL).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT, run_cli, write_config
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.integration

PROGRAM = ROOT / "providers" / "idura" / "idura_application.py"


def normalize(plan: dict) -> dict[str, dict]:
    resources = {}
    for change in plan["resource_changes"]:
        if change["mode"] != "managed":
            continue
        address = change["address"].removeprefix("module.idura_cognito.")
        pinned = re.fullmatch(r'aws_cognito_identity_provider\.eid\["(.+)"\]', address)
        if pinned:
            address = "aws_cognito_identity_provider.eid_" + re.sub(r"[^a-z0-9]+", "_", pinned[1].lower()).strip(
                "_"
            )
        address = re.sub(r"\[0\]$", "", address)
        body = change["change"]
        resources[address] = {key: body[key] for key in ("actions", "after", "after_unknown", "after_sensitive")}
    return resources


def planned(folder, cli_config, env) -> dict:
    tf = TerraformDir(folder, cli_config, extra_env=env)
    tf.init()
    tf.run("plan", "-input=false", "-no-color", "-out", "equivalence.tfplan")
    return normalize(json.loads(tf.run("show", "-json", "equivalence.tfplan").stdout))


@pytest.fixture(scope="module")
def renderings(tmp_path_factory, moto, idura, existing_pool, boto):
    root = tmp_path_factory.mktemp("equivalence")
    demo = tomllib.loads((ROOT / "idura-cognito.toml").read_text())
    demo["defaults"]["aws"]["endpoint_url"] = moto.url
    demo["defaults"]["idura"]["domain"] = idura.domain
    demo["stacks"]["demo"]["idura"]["client_id"] = "urn:idura:test:equivalence"
    demo["stacks"]["existing2"] = {
        "idura": {"client_id": "urn:idura:test:equivalence-existing", "secret_source": "hand-registered"},
        "user_pool": {"existing_id": existing_pool[0]},
        "domain": {"existing": existing_pool[1]},
        "pinned_eids": [
            {"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"},
            {"name": "SE-BankID", "acr": "urn:grn:authn:se:bankid"},
        ],
        "app_client": {"callback_urls": ["https://app.acme.com/callback"]},
    }
    config = write_config(root / "idura-cognito.toml", demo)

    # The same starting state for both plans: the Idura application exists and its secret is escrowed (so
    # neither plan issues a secret), and the hand-registered secret is stored.
    query = {
        "idura_domain": idura.domain,
        "client_id": "urn:idura:test:equivalence",
        "application_name": "x",
        "redirect_uris": json.dumps(
            ["https://acme-demo-login.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]
        ),
        "have_secret": "false",
    }
    program = subprocess.run(
        [sys.executable, str(PROGRAM)],
        input=json.dumps(query),
        capture_output=True,
        text=True,
        env={**os.environ, **idura.environment()},
        check=True,
    )
    issued = json.loads(program.stdout)
    boto("secretsmanager").create_secret(
        Name=_escrow(idura.domain, "urn:idura:test:equivalence"),
        SecretString=issued["client_secret"],
        Tags=[
            {"Key": "managed-by", "Value": "idura-cognito"},
            {"Key": "idura-cognito:secret-id", "Value": issued["secret_id"]},
        ],
    )
    put = run_cli("secret", "put", "--stack", "existing2", "--config", str(config), input="equivalence-secret")
    assert put.returncode == 0, put.stderr

    synth = run_cli("synth", "--config", str(config), "--out", str(root / "cdktf.out"), cwd=root)
    assert synth.returncode == 0, synth.stderr
    out = {}
    for stack in ("demo", "existing2"):
        hcl = run_cli("hcl", "--config", str(config), "--stack", stack, "--out", str(root / "hcl" / stack))
        assert hcl.returncode == 0, hcl.stderr
        out[stack] = (root / "cdktf.out" / "stacks" / stack, root / "hcl" / stack)
    return out


def _escrow(domain: str, client_id: str) -> str:
    from idura_cognito.config import escrow_name

    return escrow_name(domain, client_id)


@pytest.mark.parametrize("stack", ["demo", "existing2"])
def test_cdktf_and_hcl_plan_the_same_resources_and_values(renderings, cli_config, idura, stack):
    cdktf_dir, hcl_dir = renderings[stack]
    cdktf_plan = planned(cdktf_dir, cli_config, idura.environment())
    hcl_plan = planned(hcl_dir, cli_config, idura.environment())
    assert sorted(cdktf_plan) == sorted(hcl_plan)
    for address, change in cdktf_plan.items():
        assert change == hcl_plan[address], f"{address} differs between the CDKTF and the HCL rendering"
    counts = {"demo": 8, "existing2": 4}  # pool, domain, 3 IdPs, client, escrow + version / 3 IdPs, client
    assert len(cdktf_plan) == counts[stack]
    mitid = cdktf_plan["aws_cognito_identity_provider.eid_mitid"]["after"]["provider_details"]
    assert mitid["authorize_url"].endswith("/dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA==/oauth2/authorize")
    assert mitid["client_secret"]  # the same escrowed value in both plans, compared above
