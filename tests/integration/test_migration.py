"""CDKTF to HCL and back with zero replacements: one state, planned by either rendering.

A stack applied through CDKTF (the embedded demo: managed, two pinned eIDs) is planned from the rendered HCL,
which points at the same state file: the plan moves every resource into the module and changes nothing. It is
applied, the outputs are the same as the CDKTF stack's, a login still works, and the next plan has no change.
Then the CDKTF stack plans the moved state back, again without a change. (A hand-registered stack on an existing
pool: test_deploy_existing_pool.py.)
"""

from __future__ import annotations

import re
import ssl
import tomllib

import pytest

from idura_cognito.local.federated_login import login
from tests.support.cli import run_cli
from tests.support.config import write_config
from tests.support.paths import DEMO_CONFIG
from tests.support.terraform import PLAN, TerraformDir

# The config names moto itself (aws.endpoint_url): nothing else may point AWS calls there.
pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("endpoint_from_config_only")]
SCENARIO_SECONDS = 60  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

NO_CHANGE = "Plan: 0 to add, 0 to change, 0 to destroy."


def moves(output: str) -> list[str]:
    return re.findall(r"# (\S+) has moved to (\S+)", output)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("migration")
    config = tomllib.loads((DEMO_CONFIG).read_text())
    config["defaults"]["aws"]["endpoint_url"] = moto.url
    config["defaults"]["idura"]["domain"] = idura.domain
    path = write_config(root / "idura-cognito.toml", config)
    r: dict = {}
    assert run_cli("synth", "--config", str(path), "--out", str(root / "cdktf.out"), cwd=root).returncode == 0
    cdktf = TerraformDir.at(root / "cdktf.out" / "stacks" / "demo", cli_config, idura.environment())
    cdktf.init()
    cdktf.allowed().apply()
    r["cdktf_outputs"] = cdktf.all_outputs()

    assert run_cli("hcl", "--config", str(path), "--stack", "demo", "--out", str(root / "hcl")).returncode == 0
    hcl = TerraformDir.at(root / "hcl", cli_config, idura.environment())
    hcl.init()
    idura_admin.clear_requests()
    r["hcl_plan"] = hcl.attempt(*PLAN)
    r["hcl_plan_calls"] = dict(idura_admin.routes())
    hcl.apply()
    r["hcl_outputs"] = hcl.all_outputs()
    r["hcl_second_plan"] = hcl.attempt(*PLAN)

    cognito, verify = boto("cognito-idp"), ssl.create_default_context(cafile=idura.ca_file)
    pool = r["hcl_outputs"]["user_pool_id"]
    r["logins"], r["scopes"] = {}, {}
    for name in ("Idura", "MitID", "NO-BankID"):
        details = cognito.describe_identity_provider(UserPoolId=pool, ProviderName=name)
        provider = details["IdentityProvider"]["ProviderDetails"]
        r["scopes"][name] = provider["authorize_scopes"]
        r["logins"][name] = login(provider, r["hcl_outputs"]["idura_redirect_url"], verify=verify)

    r["back_plan"] = cdktf.attempt(*PLAN)
    cdktf.apply()
    r["back_second_plan"] = cdktf.attempt(*PLAN)
    r["state_file"] = root / "terraform.demo.tfstate"
    return r


def test_the_rendered_hcl_plans_the_cdktf_state_with_no_change_at_all(demo):
    code, output = demo["hcl_plan"]
    assert code == 2 and NO_CHANGE in output, output  # moves are the only difference
    assert "must be replaced" not in output and "will be destroyed" not in output
    assert sorted(moves(output)) == sorted(
        [
            ("aws_cognito_user_pool.user_pool", "module.idura_cognito.aws_cognito_user_pool.user_pool[0]"),
            ("aws_cognito_user_pool_domain.domain", "module.idura_cognito.aws_cognito_user_pool_domain.domain[0]"),
            ("aws_cognito_identity_provider.idura", "module.idura_cognito.aws_cognito_identity_provider.idura"),
            (
                "aws_cognito_identity_provider.eid_mitid",
                'module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]',
            ),
            (
                "aws_cognito_identity_provider.eid_no_bankid",
                'module.idura_cognito.aws_cognito_identity_provider.eid["NO-BankID"]',
            ),
            (
                "aws_cognito_user_pool_client.app_client",
                "module.idura_cognito.aws_cognito_user_pool_client.app_client",
            ),
            ("aws_secretsmanager_secret.escrow", "module.idura_cognito.aws_secretsmanager_secret.escrow[0]"),
            (
                "aws_secretsmanager_secret_version.escrow",
                "module.idura_cognito.aws_secretsmanager_secret_version.escrow[0]",
            ),
        ]
    )
    assert demo["hcl_plan_calls"] == {"find": 1}  # a read, nothing changed at Idura


def test_after_the_apply_the_outputs_are_the_cdktf_stack_s_and_a_login_works(demo):
    assert demo["hcl_outputs"] == demo["cdktf_outputs"]
    assert sorted(demo["hcl_outputs"]) == [
        "app_client_id",
        "escrow_secret_name",
        "hosted_login_urls",
        "idura_application_id",
        "idura_issuer",
        "idura_redirect_url",
        "issuer",
        "user_pool_id",
    ]
    assert demo["hcl_second_plan"][0] == 0
    for name, claims in demo["logins"].items():
        assert claims["sub"].startswith("{"), name
    assert demo["logins"]["NO-BankID"]["identityscheme"] == "nobankid-oidc"
    # The demo pins MitID with its own scopes: both renderings give it those, the others the provider's.
    assert demo["scopes"] == {"Idura": "openid", "MitID": "openid ssn", "NO-BankID": "openid"}
    assert demo["logins"]["MitID"]["cprNumberIdentifier"] and "cprNumberIdentifier" not in demo["logins"]["Idura"]


def test_and_back_the_cdktf_stack_plans_the_moved_state_with_no_change(demo):
    code, output = demo["back_plan"]
    assert code == 2 and NO_CHANGE in output
    assert len(moves(output)) == 8 and all(source.startswith("module.idura_cognito.") for source, _ in moves(output))
    assert demo["back_second_plan"][0] == 0
    assert oct(demo["state_file"].stat().st_mode & 0o777) == "0o600"
