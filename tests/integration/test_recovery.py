"""An operator's bad day: after any failure or interrupt, the command the tool names puts it right.

One managed stack, against moto and the Idura emulator, through the CLI as a user runs it:
- a managed deploy without the management URL is refused before anything is planned or created;
- a real SIGINT to the deploy's process group while the apply runs (an AWS call held open by a moto fault):
  Terraform gets one interrupt, saves its state, the command exits 130 without a traceback; deploy again
  converges with one pool;
- a tag-only edit plans as tags only: no secret shown as changing, nothing said about Idura;
- a crash that lost resources from the state (``terraform state rm``): the next plan names each with its
  ``terraform import`` line, deploy refuses to create a second pool, and the named import puts it right.
A second stack starts from the state a failed first deploy of 0.2 left (pool, domain and an empty escrow; no
application at Idura): deploy reviews it and finishes.
"""

from __future__ import annotations

import json
import os
import pty
import select
import selectors
import signal
import subprocess
import time

import pytest

from idura_cognito.definitions.naming import STACK_TAG
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, parsed_config, write_config
from tests.support.paths import CLI
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 120  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

STACK = "recovery"
POOL = f"acme-{STACK}"
HALFWAY = "halfway"


def _pool_arn(cognito, pool_id: str) -> str:
    return cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]


def _tags(cognito, pool_id: str) -> dict:
    return cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"].get("UserPoolTags") or {}


def _pools(boto, name: str) -> list[str]:
    return [p["Id"] for p in boto("cognito-idp").list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == name]


def _on_a_terminal(command: list[str], cwd, env: dict, answers: list, timeout: float = 300) -> tuple[int, str]:
    """Run ``command`` on a pseudo-terminal; at each prompt (in order) run its action, then type its answer."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stdin=child, stdout=child, stderr=child, start_new_session=True
    )
    os.close(child)
    seen, pending = b"", list(answers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break  # the child closed the terminal
            if not chunk:
                break
            seen += chunk
        if pending and pending[0][0].encode() in seen.split(b"\n")[-1]:
            _, action, answer = pending.pop(0)
            if action:
                action()
            seen += b"\n"  # the next prompt must come after this one
            os.write(main, (answer + "\n").encode())
        if process.poll() is not None and not ready:
            break
    process.wait(timeout=30)
    os.close(main)
    return process.returncode, seen.decode(errors="replace")


def _interrupted_deploy(
    args: list[str], env: dict, cwd, markers: tuple[str, ...], timeout: float = 240
) -> tuple[int, str, str]:
    """Start `idura-cognito deploy` in a process group of its own (as a shell runs a foreground job), wait until
    its output shows every marker, then send SIGINT to the whole group, as a terminal's Ctrl-C does."""
    process = subprocess.Popen(
        [CLI, *args],
        cwd=cwd,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    selector.register(process.stderr, selectors.EVENT_READ)
    out, err, sent = b"", b"", False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            chunk = os.read(key.fileobj.fileno(), 65536)
            if not chunk:
                selector.unregister(key.fileobj)
            elif key.fileobj is process.stdout:
                out += chunk
            else:
                err += chunk
        if not sent and all(marker.encode() in out for marker in markers):
            time.sleep(0.5)  # the requests those lines announce are on their way to moto
            os.killpg(process.pid, signal.SIGINT)
            sent = True
        if process.poll() is not None and not selector.get_map():
            break
    else:
        process.kill()
    process.wait()
    assert sent, f"the apply never reached {markers}: {out.decode()[-2000:]}{err.decode()[-2000:]}"
    return process.returncode, out.decode(), err.decode()


@pytest.fixture(scope="module")
def recovery(tmp_path_factory, moto, idura, idura_admin, boto, cli_config, moto_faults):
    root = tmp_path_factory.mktemp("recovery")
    config = one_stack_config(idura.domain, STACK)
    config["stacks"][STACK]["tags"] = {"team": "identity"}
    config["stacks"][HALFWAY] = one_stack_config(idura.domain, HALFWAY)["stacks"][HALFWAY]
    path = write_config(root / "idura-cognito.toml", config)
    env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}
    r: dict = {"root": root, "escrow": parsed_config(config).stack(STACK).escrow_name}

    def cli(*args: str, stack: str = STACK, environment: dict | None = None):
        return run_cli(*args, "--stack", stack, cwd=root, env=env if environment is None else environment)

    # 1. Managed without the management URL: refused before anything runs.
    without_url = {k: v for k, v in env.items() if k != "IDURA_MANAGEMENT_URL"} | {"IDURA_MANAGEMENT_URL": ""}
    r["no_url"] = cli("deploy", "--auto-approve", environment=without_url)
    r["pools_after_no_url"] = _pools(boto, POOL)

    # A state file that exists with the usual 0644 (made by another tool, or restored from a backup).
    state_file = root / f"terraform.{STACK}.tfstate"
    state_file.write_text(json.dumps({"version": 4, "serial": 0, "lineage": "before", "outputs": {}, "resources": []}))
    state_file.chmod(0o644)

    # 2. Ctrl-C while the apply waits on AWS (the domain's and the identity provider's creates are held 6 s), then
    # deploy again.
    held = ("CreateUserPoolDomain", "CreateIdentityProvider")
    for operation in held:
        (moto_faults / operation).write_text("delay 6")
    r["interrupted"] = _interrupted_deploy(
        ["deploy", "--stack", STACK, "--auto-approve"],
        env,
        root,
        ("aws_cognito_user_pool_domain.domain: Creating", "aws_cognito_identity_provider.idura: Creating"),
    )
    time.sleep(7)  # moto finishes what it was asked, as AWS would
    for operation in held:
        (moto_faults / operation).unlink(missing_ok=True)
    stack_dir = root / "cdktf.out" / "stacks" / STACK
    tf = TerraformDir.at(stack_dir, cli_config, idura.environment())
    r["state_after_interrupt"] = tf.run("state", "list").stdout.split()
    r["plan_files_after_interrupt"] = list((stack_dir / ".idura-cognito").rglob("*.tfplan"))
    r["state_mode"] = oct(state_file.stat().st_mode & 0o777)
    r["redeploy"] = cli("deploy", "--auto-approve")  # the apply's own resources, and one the interrupt orphaned
    if os.environ.get("DBG"):
        return r
    r["pools_after_redeploy"] = _pools(boto, POOL)
    r["steady"] = cli("plan", "--detailed-exitcode")

    # 3. A tag-only edit.
    config["stacks"][STACK]["tags"] = {"team": "identity-platform"}
    write_config(path, config)
    plan_file = root / "tags.tfplan"
    cli("synth")
    tf.run("plan", "-input=false", f"-out={plan_file}")
    r["tag_plan"] = json.loads(tf.run("show", "-json", str(plan_file)).stdout)
    plan_file.unlink()
    r["tag_deploy"] = cli("deploy", "--auto-approve")

    # 4. Work at Idura (its redirect URL was removed there), and a change in AWS while the operator reads the
    # review (the app client's callback URLs edited in the console): the plan to apply is not the one reviewed.
    realm = f"urn:idura:test:{STACK}"
    idura_admin.change(realm, returnUrls=[])
    cognito = boto("cognito-idp")
    pool_id = _pools(boto, POOL)[0]
    client_id = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"][0]["ClientId"]
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]

    def edit_in_the_console():
        kept = {
            k: client[k]
            for k in (
                "ClientName",
                "AllowedOAuthFlows",
                "AllowedOAuthScopes",
                "AllowedOAuthFlowsUserPoolClient",
                "SupportedIdentityProviders",
            )
        }
        cognito.update_user_pool_client(
            UserPoolId=pool_id, ClientId=client_id, CallbackURLs=["https://console.example/cb"], **kept
        )

    r["second_approval"] = _on_a_terminal(
        [CLI, "deploy", "--stack", STACK],
        root,
        env,
        [("as planned above? Only 'yes' goes on:", edit_in_the_console, "yes"), ("listed above", None, "no")],
    )
    r["callbacks_after_refusal"] = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)[
        "UserPoolClient"
    ]["CallbackURLs"]
    r["after_second_approval"] = cli("deploy", "--auto-approve")

    # 5. A crash lost the pool and the escrow from the state (they exist in AWS), and someone built a namesake
    # pool in the console: deploy takes back the pool its stack tag proves its own, and the escrow, and leaves
    # the namesake alone.
    r["pool_id"] = _pools(boto, POOL)[0]
    r["namesake"] = cognito.create_user_pool(PoolName=POOL)["UserPool"]["Id"]
    tf.run("state", "rm", "aws_cognito_user_pool.user_pool", "aws_secretsmanager_secret.escrow")
    r["orphan_deploy"] = cli("deploy", "--auto-approve")
    r["pools_after_orphan_deploy"] = sorted(_pools(boto, POOL))
    r["after_take_back"] = cli("plan", "--detailed-exitcode")
    # 5b. A pool no tag proves (built before 0.4 tagged pools, or by hand): named with its import, never taken.
    cognito.untag_resource(ResourceArn=_pool_arn(cognito, r["pool_id"]), TagKeys=[STACK_TAG])
    tf.run("state", "rm", "aws_cognito_user_pool.user_pool")
    r["unprovable_deploy"] = cli("deploy", "--auto-approve")
    imports = [line.split("`")[1] for line in r["unprovable_deploy"].stderr.splitlines() if r["pool_id"] in line]
    r["imports"] = [
        subprocess.run(command, shell=True, capture_output=True, text=True, env={**os.environ, **env}, cwd=root)  # noqa: S602
        for command in imports
    ]
    r["after_import"] = cli("deploy", "--auto-approve")  # puts the stack's tag back
    r["tag_after_import"] = _tags(cognito, r["pool_id"]).get(STACK_TAG)
    cognito.delete_user_pool(UserPoolId=r["namesake"])

    # 6. The state a failed first deploy of 0.2 left: pool, domain and an empty escrow, no application at Idura.
    cli("synth", stack=HALFWAY)
    half = TerraformDir.at(root / "cdktf.out" / "stacks" / HALFWAY, cli_config, idura.environment())
    half.init()
    targets = ["-target=aws_cognito_user_pool_domain.domain", "-target=aws_secretsmanager_secret.escrow"]
    half.allowed().run("apply", "-input=false", "-auto-approve", *targets)
    app = idura_admin.application(f"urn:idura:test:{HALFWAY}")
    idura_admin.http.delete(f"/management/v1/domains/{idura.domain}/applications/{app['id']}").raise_for_status()
    r["halfway_state"] = half.run("state", "list").stdout.split()
    r["halfway_deploy"] = cli("deploy", "--auto-approve", stack=HALFWAY)
    r["halfway_steady"] = cli("plan", "--detailed-exitcode", stack=HALFWAY)
    r["halfway_app"] = idura_admin.applications(f"urn:idura:test:{HALFWAY}")
    return r


def test_a_managed_deploy_without_the_management_url_is_refused_before_anything_is_created(recovery):
    refused = recovery["no_url"]
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f'error: stack {STACK} is managed (idura.secret_source = "managed"): set IDURA_MANAGEMENT_URL (the Idura '
        "management API, its token and your tenant id) in this environment first; nothing was planned or created"
    )
    assert recovery["pools_after_no_url"] == []


def test_ctrl_c_during_the_apply_reaches_terraform_once_and_loses_nothing(recovery):
    code, out, err = recovery["interrupted"]
    assert code == 130, err[-3000:]
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert "Two interrupts received" not in out + err  # Terraform got exactly one
    assert f"Nothing is lost: run `idura-cognito deploy --stack {STACK}` again" in err
    # Terraform saved what it had created, the pool among it; no plan file (it holds the secret) is left.
    assert "aws_cognito_user_pool.user_pool" in recovery["state_after_interrupt"]
    assert recovery["plan_files_after_interrupt"] == []


def test_a_state_file_that_existed_readable_by_others_is_made_owner_only(recovery):
    assert recovery["state_mode"] == "0o600"  # it holds the client secret


def test_after_ctrl_c_deploy_again_converges_with_one_pool(recovery):
    redeploy = recovery["redeploy"]
    assert redeploy.returncode == 0, redeploy.stderr[-3000:]
    assert "ResourceExistsException" not in redeploy.stdout + redeploy.stderr
    # The provider cancelled the identity provider's create in flight after Cognito had made it: deploy takes it
    # back (it can only be this stack's) instead of failing on DuplicateProviderException.
    assert "taking back identity provider 'Idura', created outside the state by a run that was cut off" in (
        redeploy.stderr
    )
    assert len(recovery["pools_after_redeploy"]) == 1
    assert recovery["steady"].returncode == 0, recovery["steady"].stderr[-2000:]


def test_a_tag_only_edit_changes_tags_only_and_shows_no_secret_changing(recovery):
    changed = {
        change["address"]: sorted(
            k for k in change["change"]["after"] if change["change"]["before"].get(k) != change["change"]["after"][k]
        )
        for change in recovery["tag_plan"]["resource_changes"]
        if change["change"]["actions"] != ["no-op"] and change["mode"] == "managed"
    }
    assert changed == {
        "aws_cognito_user_pool.user_pool": ["tags", "tags_all"],
        "aws_secretsmanager_secret.escrow": ["tags", "tags_all"],
    }
    reads = [c["address"] for c in recovery["tag_plan"]["resource_changes"] if c["change"]["actions"] == ["read"]]
    assert reads == []  # the program ran while planning: nothing is put off to the apply
    deploy = recovery["tag_deploy"]
    assert deploy.returncode == 0 and "Idura" not in deploy.stderr


def test_a_pool_lost_from_the_state_is_taken_back_when_its_stack_tag_proves_it_and_only_then(recovery):
    """Ctrl-C while the first apply created the pool left it outside the state (9 of 11 checks of the review held:
    deploy then only named an import). The pool carries the stack's tag from its creation: deploy takes it back
    with the escrow, and a console-built namesake (no tag) is left alone. A pool no tag proves gets the import
    line, and deploy stops; the named import puts it right."""
    deploy = recovery["orphan_deploy"]
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    assert f"taking back user pool '{POOL}' (tagged idura-cognito:stack by this stack)" in deploy.stderr
    assert "taking back escrow" in deploy.stderr
    assert recovery["pools_after_orphan_deploy"] == sorted([recovery["pool_id"], recovery["namesake"]])
    assert recovery["after_take_back"].returncode == 0, recovery["after_take_back"].stdout[-3000:]

    refused = recovery["unprovable_deploy"]
    pool_id, namesake = recovery["pool_id"], recovery["namesake"]
    assert refused.returncode == 1 and "the plan would create a second copy of what exists already" in refused.stderr
    for candidate in (pool_id, namesake):  # both unproven: a person decides which is the stack's
        assert f"import aws_cognito_user_pool.user_pool {candidate}`" in refused.stderr
    assert [i.returncode for i in recovery["imports"]] == [0], [i.stderr[-1500:] for i in recovery["imports"]]
    assert recovery["after_import"].returncode == 0, recovery["after_import"].stderr[-3000:]
    assert recovery["tag_after_import"] == f"{STACK}/" + recovery["escrow"]


def test_a_failed_first_deploy_is_finished_by_deploy_again(recovery):
    managed = sorted(a for a in recovery["halfway_state"] if not a.startswith("data."))
    assert managed == [
        "aws_cognito_user_pool.user_pool",
        "aws_cognito_user_pool_domain.domain",
        "aws_secretsmanager_secret.escrow",
    ]
    deploy = recovery["halfway_deploy"]
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    assert "may not make them" not in deploy.stderr
    assert len(recovery["halfway_app"]) == 1
    assert recovery["halfway_steady"].returncode == 0


def test_a_change_between_review_and_apply_is_not_applied_without_a_second_approval(recovery):
    """The review found work at Idura; while the operator read it, the app client's callback URLs were edited in
    the console. The plan made with changes at Idura allowed now also puts them back: that difference is shown
    and asked about again, and a "no" applies nothing."""
    code, screen = recovery["second_approval"]
    assert code == 2, screen[-3000:]
    assert "The plan to apply differs from the one reviewed above:" in screen
    assert "aws_cognito_user_pool_client.app_client: update instead of the reviewed no-op (callback_urls)" in screen
    assert "Apply this plan, with the differences listed above, to stack recovery? Only 'yes' goes on:" in screen
    assert "not confirmed; nothing was changed" in screen
    assert recovery["callbacks_after_refusal"] == ["https://console.example/cb"]  # nothing was applied
    assert recovery["after_second_approval"].returncode == 0


def test_a_terraform_run_that_waits_on_the_network_stops_at_its_deadline_with_a_clear_message(
    tmp_path, cli_config, aws_credentials
):
    """An AWS endpoint that accepts and never answers (a typo'd private endpoint, a firewall that drops): the plan
    is interrupted at the deadline, the message says what to check, and no plan file (it may hold the secret)
    is left behind."""
    import socket
    import threading

    from tests.support.config import base_config

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: [held.append(listener.accept()[0]) for _ in range(16)], daemon=True).start()
    config = base_config()
    config["defaults"]["aws"]["endpoint_url"] = f"http://127.0.0.1:{listener.getsockname()[1]}"
    write_config(tmp_path / "idura-cognito.toml", config)
    started = time.monotonic()
    result = run_cli(
        "plan",
        "--stack",
        "dev",
        cwd=tmp_path,
        env={"TF_CLI_CONFIG_FILE": str(cli_config), "IDURA_COGNITO_TERRAFORM_TIMEOUT": "8", "AWS_ENDPOINT_URL": ""},
    )
    elapsed = time.monotonic() - started
    listener.close()
    assert result.returncode == 1
    assert (
        "terraform plan did not finish within 8 s and was stopped (it waits on the network: check the AWS region "
        "and endpoint, credentials and connectivity; IDURA_COGNITO_TERRAFORM_TIMEOUT sets the deadline in seconds)"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 8 + 10 + 30  # interrupted, stopped (a read-only run is killed 10 s later); not minutes
    assert list(tmp_path.rglob("*.tfplan")) == []
