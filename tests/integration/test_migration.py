"""CDKTF to HCL and back with zero replacements: one state, planned by either rendering.

A stack applied through CDKTF (the embedded demo: managed, the picker and two pinned eIDs each mapping its own
national id claim, on a custom domain) is planned from the rendered HCL,
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

from idura_cognito.definitions import addresses
from idura_cognito.definitions.outputs import ROOT_OUTPUTS
from idura_cognito.local.federated_login import login
from tests.support.cli import run_cli
from tests.support.config import parsed_config, write_config
from tests.support.paths import DEMO_CONFIG
from tests.support.terraform import PLAN, TerraformDir

# The config names moto itself (aws.endpoint_url): nothing else may point AWS calls there.
pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("endpoint_from_config_only")]
SCENARIO_SECONDS = 60  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

NO_CHANGE = "Plan: 0 to add, 0 to change, 0 to destroy."
CUSTOM_DOMAIN = "login.acme-demo.example"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
LOGIN_HINT_EIDS = ["urn:grn:authn:dk:mitid:substantial", "urn:grn:authn:no:bankid"]


def moves(output: str) -> list[str]:
    return re.findall(r"# (\S+) has moved to (\S+)", output)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("migration")
    config = tomllib.loads((DEMO_CONFIG).read_text())
    config["defaults"]["aws"]["endpoint_url"] = moto.url
    config["defaults"]["idura"]["domain"] = idura.domain
    # A custom domain (ACM, us-east-1): it plans clean in both renderings, as Cognito answers its certificate.
    config["stacks"]["demo"]["domain"] = {"custom": CUSTOM_DOMAIN, "certificate_arn": CERTIFICATE}
    config["stacks"]["demo"]["identity_provider"] = {"login_hint_eids": LOGIN_HINT_EIDS}
    # Both ways on one state: backend.path names the shared file (a rendered root keeps its own by default).
    config["stacks"]["demo"]["backend"] = {"type": "local", "path": "terraform.demo.tfstate"}
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

    # The trial login for this stack (the picker, MitID, NO-BankID), with the rendered root's state.
    r["trial"] = run_cli(
        "login", "--config", str(path), "--stack", "demo", "--hcl", str(root / "hcl"), cwd=root, env=idura.environment()
    )
    r["back_plan"] = cdktf.attempt(*PLAN)
    cdktf.apply()
    r["back_second_plan"] = cdktf.attempt(*PLAN)
    r["state_file"] = root / "terraform.demo.tfstate"
    return r


def demo_stack():
    config = tomllib.loads(DEMO_CONFIG.read_text())
    config["stacks"]["demo"]["domain"] = {"custom": CUSTOM_DOMAIN, "certificate_arn": CERTIFICATE}
    config["stacks"]["demo"]["identity_provider"] = {"login_hint_eids": LOGIN_HINT_EIDS}
    return parsed_config(config).stack("demo")


def test_the_rendered_hcl_plans_the_cdktf_state_with_no_change_at_all(demo):
    code, output = demo["hcl_plan"]
    assert code == 2 and NO_CHANGE in output, output  # moves are the only difference
    assert "must be replaced" not in output and "will be destroyed" not in output
    # Every resource of the stack (pool, domain, providers, the web and backend clients, the resource server, the
    # linking trigger, the escrow) arrives at its module address; Terraform names each chain's last address.
    assert sorted(moves(output)) == sorted((a.cdktf, a.hcl) for a in addresses.resources(demo_stack()))
    assert demo["hcl_plan_calls"] == {"find": 1}  # a read, nothing changed at Idura


def test_after_the_apply_the_outputs_are_the_cdktf_stack_s_and_a_login_works(demo):
    assert demo["hcl_outputs"] == demo["cdktf_outputs"]
    assert sorted(demo["hcl_outputs"]) == sorted(o.name for o in ROOT_OUTPUTS)
    assert demo["hcl_second_plan"][0] == 0
    # The custom domain's DNS records name the CloudFront distribution Cognito made for it (the moto wrapper's).
    records = demo["hcl_outputs"]["domain_dns_records"]
    assert [(r["name"], r["type"], r["alias_zone_id"]) for r in records] == [
        (CUSTOM_DOMAIN, "A", "Z2FDTNDATAQYW2"),
        (CUSTOM_DOMAIN, "AAAA", "Z2FDTNDATAQYW2"),
    ]
    assert records[0]["alias_name"].endswith(".cloudfront.net")
    assert demo["hcl_outputs"]["idura_redirect_url"] == f"https://{CUSTOM_DOMAIN}/oauth2/idpresponse"
    # The login_hint route: per eID, the picker's hosted login URL choosing the eID (the same in both renderings).
    picker = demo["hcl_outputs"]["hosted_login_urls"]["Idura"]
    assert demo["hcl_outputs"]["login_hint_urls"] == {
        "urn:grn:authn:dk:mitid:substantial": picker
        + "&login_hint=acr_values%3Aurn%3Agrn%3Aauthn%3Adk%3Amitid%3Asubstantial",
        "urn:grn:authn:no:bankid": picker + "&login_hint=acr_values%3Aurn%3Agrn%3Aauthn%3Ano%3Abankid",
    }
    for name, claims in demo["logins"].items():
        assert claims["sub"].startswith("{"), name
    assert demo["logins"]["NO-BankID"]["identityscheme"] == "nobankid-oidc"
    # The demo pins MitID and NO-BankID with their own scopes (ssn: the national id): both renderings give them those.
    assert demo["scopes"] == {"Idura": "openid", "MitID": "openid ssn", "NO-BankID": "openid ssn"}
    assert demo["logins"]["MitID"]["cprNumberIdentifier"] and "cprNumberIdentifier" not in demo["logins"]["Idura"]


def test_the_trial_login_shows_each_eid_s_national_id_in_one_user(demo):
    trial = demo["trial"]
    assert trial.returncode == 0, trial.stderr
    out = trial.stdout
    assert "COMPUTED by idura-cognito" in out and "Linking one person's identities: on (the stack's trigger)." in out
    picker, mitid, bankid = out.split("\n\n")[1:]
    assert picker.startswith("Idura  (the picker, eID chosen with login_hint: urn:grn:authn:dk:mitid:substantial)")
    assert re.search(r"user      idura_\{[0-9a-f-]+\}  \(a new user\)", picker)
    user = re.search(r"user      (idura_\{[0-9a-f-]+\})", picker).group(1)
    # The same person through the pinned MitID button: refused once (the trigger linked it), then the same user.
    assert "login refused by Cognito: PreSignUp failed with error Your sign-in is now linked" in mitid
    assert f"user      {user}  (the user this identity is linked to)" in mitid
    # Each eID's own national id claim lands in custom:national_id (MitID's CPR, Norwegian BankID's socialno).
    assert re.search(r"custom:national_id  \d{10}\n", mitid + "\n")
    assert re.search(r"custom:national_id  \d{11}", bankid)
    assert "custom:national_id" not in picker  # the picker's mapping takes no national id in the demo


def test_and_back_the_cdktf_stack_plans_the_moved_state_with_no_change(demo):
    code, output = demo["back_plan"]
    assert code == 2 and NO_CHANGE in output
    back = sorted((a.hcl, a.cdktf) for a in addresses.resources(demo_stack()))
    assert sorted(moves(output)) == back
    assert demo["back_second_plan"][0] == 0
    assert oct(demo["state_file"].stat().st_mode & 0o777) == "0o600"
