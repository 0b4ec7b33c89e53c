"""idura-cognito inside a team's own CDKTF app (examples/cdktf-team-app): the team's S3 stack references the user
pool's id across stacks (both reach moto through AWS_ENDPOINT_URL, as `.idura-local/env.sh` exports it), a plain `app.synth()` writes everything a deploy needs, and the `cdktf` CLI in managed
mode never changes Idura, even with the allow-changes switch exported in its shell; only `idura-cognito deploy`
does. Every step asserts the emulator's request log for this application."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.config import base_config, write_config
from tests.support.idura_admin import MUTATING
from tests.support.paths import CLI, ROOT
from tests.support.secrets import TEST_TOKEN, assert_not_shown

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 150  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

EXAMPLE = ROOT / "examples" / "cdktf-team-app"
REALM = "urn:idura:test:teamapp"
COGNITO_STACK, TEAM_STACK = "cognito-dev", "team-files-dev"


def _config(folder: Path, idura, prefix: str = "acme-teamapp") -> Path:
    config = base_config()
    config["defaults"]["idura"] = {"domain": idura.domain, "secret_source": "managed"}
    stack = config["stacks"]["dev"]
    stack["idura"] = {"client_id": REALM, "application_name": "Team app"}
    stack["user_pool"]["name"] = "acme-teamapp"
    stack["domain"]["prefix"] = prefix
    return write_config(folder / "idura-cognito.toml", config)


def _cdktf(folder: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    # --skip-provider-lock: `terraform providers lock` would ask the registry, which is offline here.
    command = [str(ROOT / "node_modules" / ".bin" / "cdktf"), *args]
    if args[0] in ("deploy", "destroy"):
        command += ["--auto-approve", "--skip-provider-lock"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def team(tmp_path_factory, moto, idura, idura_admin, cli_config, boto):
    """The example app run the way the README says, step by step; each step's outcome and requests."""
    folder = tmp_path_factory.mktemp("team-app")
    for name in ("main.py", "cdktf.json"):
        shutil.copy(EXAMPLE / name, folder / name)
    _config(folder, idura)
    env = {
        **os.environ,
        # python3 and idura-cognito of this install first on PATH, as a virtualenv or pipx puts them.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{Path(CLI).parent}{os.pathsep}{os.environ['PATH']}",
        "TF_CLI_CONFIG_FILE": str(cli_config),  # absolute: Terraform runs in cdktf.out/stacks/<id>
        "CHECKPOINT_DISABLE": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        **idura.environment(),
        # The trap: a shell that exported the switch for another job. cdktf plans and applies in one go.
        "IDURA_MANAGEMENT_ALLOW_CHANGES": "true",
    }
    steps: dict = {}

    def step(name: str, run) -> None:
        since, before = time.time(), idura_admin.applications(REALM)
        result = run()
        idura_admin.wait_until_settled()
        application = idura_admin.applications(REALM)
        app_id = (application or before or [{}])[0].get("id")
        steps[name] = {
            "code": result.returncode,
            "output": result.stdout + result.stderr,
            "requests": idura_admin.requests_for(app_id, since),
            "application": application,
        }

    step(
        "synth",
        lambda: subprocess.run(
            [sys.executable, "main.py"], cwd=folder, capture_output=True, text=True, env=env, timeout=300
        ),
    )
    steps["synthesized"] = {
        name: json.loads((folder / "cdktf.out" / "stacks" / name / "cdk.tf.json").read_text())
        for name in (COGNITO_STACK, TEAM_STACK)
    }
    steps["asset_files"] = sorted(
        p.name for p in (folder / "cdktf.out" / "stacks" / COGNITO_STACK / "assets").rglob("*.py")
    )
    step("first_cdktf_deploy", lambda: _cdktf(folder, env, "deploy", COGNITO_STACK))
    steps["pools_after_first_cdktf_deploy"] = _pools(boto)
    step(
        "idura_cognito_deploy",
        lambda: subprocess.run(
            [CLI, "deploy", "--stack", "dev", "--stack-dir", f"cdktf.out/stacks/{COGNITO_STACK}", "--auto-approve"],
            cwd=folder,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        ),
    )
    outputs = folder / "outputs.json"
    step(
        "cdktf_deploy_all",
        lambda: _cdktf(
            folder, env, "deploy", "*", "--outputs-file", str(outputs), "--outputs-file-include-sensitive-outputs"
        ),
    )
    steps["outputs"] = json.loads(outputs.read_text()) if outputs.exists() else {}
    steps["pools"] = _pools(boto)
    steps["bucket_tags"] = _bucket_tags(boto)
    if steps["pools"]:
        provider = boto("cognito-idp").describe_identity_provider(UserPoolId=steps["pools"][0], ProviderName="Idura")
        steps["secret"] = provider["IdentityProvider"]["ProviderDetails"]["client_secret"]
    # A domain prefix change needs a new redirect URL at Idura: `cdktf diff` reports it and changes nothing.
    _config(folder, idura, prefix="acme-teamapp-renamed")
    step("cdktf_diff_pending", lambda: _cdktf(folder, env, "diff", COGNITO_STACK))
    _config(folder, idura)
    step("cdktf_destroy", lambda: _cdktf(folder, env, "destroy", "*"))
    steps["pools_after_destroy"] = _pools(boto)
    step(
        "purge",
        lambda: subprocess.run(
            [
                CLI,
                "destroy",
                "--stack",
                "dev",
                "--stack-dir",
                f"cdktf.out/stacks/{COGNITO_STACK}",
                "--purge-idura",
                "--auto-approve",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        ),
    )
    steps["escrows_after_purge"] = [
        s["Name"] for s in boto("secretsmanager").list_secrets()["SecretList"] if "teamapp" in s["Name"]
    ]
    return steps


def _pools(boto) -> list[str]:
    pools = boto("cognito-idp").list_user_pools(MaxResults=60)["UserPools"]
    return [p["Id"] for p in pools if p["Name"] == "acme-teamapp"]


def _bucket_tags(boto) -> dict[str, str]:
    s3 = boto("s3")
    for bucket in s3.list_buckets()["Buckets"]:
        if bucket["Name"].startswith("team-files-"):
            return {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket["Name"])["TagSet"]}
    return {}


def _flat(output: str) -> str:
    """cdktf's output without colours, spinner and box drawing, on one line."""
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", output)
    return " ".join(re.sub("[│╷╵]", " ", text).split())


def _routes(requests: list[dict]) -> set[str]:
    return {r["route"] for r in requests} - {"discover"}  # the API root and the tenant's domains: reads


def test_a_plain_app_synth_writes_everything_a_deploy_needs(team):
    assert team["synth"]["code"] == 0, team["synth"]["output"][-2000:]
    assert team["synth"]["requests"] == []  # synthesizing never talks to Idura
    assert {"__main__.py", "application.py", "management.py"} <= set(team["asset_files"])
    team_stack = team["synthesized"][TEAM_STACK]
    remote = team_stack["data"]["terraform_remote_state"]
    assert len(remote) == 1  # the pool id comes from the idura-cognito stack's state
    tags = team_stack["resource"]["aws_s3_bucket"]["files"]["tags"]
    assert tags["user_pool_id"].startswith("${data.terraform_remote_state.")


def test_cdktf_deploy_with_the_switch_exported_changes_nothing_at_idura_and_names_the_command(team):
    first = team["first_cdktf_deploy"]
    assert first["code"] != 0
    flat = _flat(first["output"])
    assert "in a CDKTF stack only `idura-cognito deploy` makes them" in flat
    assert f"Run `idura-cognito deploy --stack dev --stack-dir cdktf.out/stacks/{COGNITO_STACK}`" in flat
    assert first["application"] == []  # not created, although the shell allows changes
    assert _routes(first["requests"]) == {"find"}
    assert team["pools_after_first_cdktf_deploy"] == []  # stopped at the gate: nothing half-created


def test_idura_cognito_deploy_of_the_team_s_stack_folder_makes_the_idura_changes(team):
    deploy = team["idura_cognito_deploy"]
    assert deploy["code"] == 0, deploy["output"][-3000:]
    assert _routes(deploy["requests"]) >= {"find", "secret"}  # (the create names the realm only in its body)
    (application,) = deploy["application"]  # created by this step: the first cdktf deploy left none
    assert application["returnUrls"] == ["https://acme-teamapp.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"]


def test_cdktf_deploy_of_the_whole_app_only_reads_idura_and_wires_the_pool_id_across_stacks(team):
    deploy = team["cdktf_deploy_all"]
    assert deploy["code"] == 0, deploy["output"][-3000:]
    assert not [r for r in deploy["requests"] if r["route"] in MUTATING]
    assert _routes(deploy["requests"]) <= {"find", "get"}
    (pool_id,) = team["pools"]
    assert team["bucket_tags"] == {"user_pool_id": pool_id}
    ours, theirs = team["outputs"][COGNITO_STACK], team["outputs"][TEAM_STACK]
    assert theirs["issuer"] == ours["issuer"] == f"https://cognito-idp.eu-north-1.amazonaws.com/{pool_id}"
    assert theirs["login_url"] == ours["hosted_login_urls"]["Idura"]  # the property equals the output


def test_cdktf_diff_reports_pending_idura_changes_and_sends_none(team):
    diff = team["cdktf_diff_pending"]
    flat = _flat(diff["output"])
    assert "Idura changes are pending; only `idura-cognito deploy` makes them" in flat
    assert "would add redirect URL https://acme-teamapp-renamed.auth.eu-north-1.amazoncognito.com" in flat
    assert _routes(diff["requests"]) <= {"find", "get"}
    (application,) = diff["application"]
    assert len(application["returnUrls"]) == 1  # the PATCH the diff of 0.2 sent is not sent


def test_after_cdktf_destroy_the_documented_purge_removes_the_idura_application_and_escrow(team):
    assert team["cdktf_destroy"]["code"] == 0, team["cdktf_destroy"]["output"][-3000:]
    assert team["pools_after_destroy"] == []
    assert team["cdktf_destroy"]["application"] != []  # Terraform cannot delete what a data source made
    purge = team["purge"]
    assert purge["code"] == 0, purge["output"][-3000:]
    assert purge["application"] == [] and "delete" in _routes(purge["requests"])
    assert team["escrows_after_purge"] == []


def test_no_step_prints_the_secret_or_the_token(team):
    text = "\n".join(s["output"] for s in team.values() if isinstance(s, dict) and "output" in s)
    assert len(team["secret"]) >= 20
    assert_not_shown(text, team["secret"], TEST_TOKEN)
