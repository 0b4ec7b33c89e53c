"""The user's path, end to end, outside the checkout, as README.md's "Try it locally" tells it: the built wheel
installed with its extras into a fresh virtualenv; `idura-cognito demo` in an empty folder; `idura-cognito local`
(the local AWS and Idura emulator) and, in another shell that loaded its environment, `init`, the config's
`idura.domain` set to the emulator, `synth` and `deploy`, `hcl` and `terraform apply` of the rendered root on the
same state, `doctor` green, `destroy`. And an HCL-only install (no extras): it renders, and a CDKTF command names
the extra it needs.

Every user command runs with the checkout hidden: in a mount namespace where the checkout's folder is an empty
tmpfs (`unshare`), so nothing can be read from the source tree. (moto and the emulator are the test's own
servers, started before.)
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.config import write_config
from tests.support.paths import PLAIN_TERRAFORM_ENV, ROOT

XDIST_GROUP = "packaging"  # one worker builds the wheel once (the session fixture `dist`) for both files

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 80  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)
LOCAL_STOP_SECONDS = 15  # `local` stops its two servers in under a second (tests/unit/test_servers_stop_on_signals.py)
STACK = "dev"


def hidden_checkout_works() -> bool:
    probe = ["unshare", "-m", "sh", "-c", f"mount -t tmpfs none {ROOT} && test ! -e {ROOT}/pyproject.toml"]
    return shutil.which("unshare") is not None and subprocess.run(probe, capture_output=True).returncode == 0


def _venv(where: Path, requirement: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    install = subprocess.run(
        # --no-compile: byte code is written on first import instead (saves ~30 s of CPU for ~2,100 binding modules)
        [
            str(where / "bin" / "pip"),
            "install",
            "--no-compile",
            "--disable-pip-version-check",
            "-q",
            "-c",
            str(ROOT / "constraints.txt"),
            requirement,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return where


@pytest.fixture(scope="module")
def user(dist, tmp_path_factory):
    home = tmp_path_factory.mktemp("user")
    (wheel,) = dist.glob("*.whl")
    venv = _venv(home / "venv", f"{wheel}[cdktf,local]")
    hide = hidden_checkout_works()
    transcript: list[str] = []
    loaded: dict[str, str] = {}  # the environment of `idura-cognito local`, once loaded

    def environment(env: dict | None) -> dict:
        return {
            # Terraform as on a user's machine (no reattached provider; still counted when the suite counts).
            "PATH": os.pathsep.join(
                filter(None, [str(venv / "bin"), os.environ.get(PLAIN_TERRAFORM_ENV), os.environ["PATH"]])
            ),
            "HOME": str(home),
            "CHECKPOINT_DISABLE": "1",
            **loaded,
            **(env or {}),
        }

    def wrap(command: tuple[str, ...]) -> list[str]:
        args = list(command)
        if hide:  # the checkout's folder is an empty tmpfs for the command
            args = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs none {ROOT} && exec "$@"', "user", *args]
        return args

    def run(*command: str, cwd: Path, env: dict | None = None, check: bool = True):
        process = subprocess.run(
            wrap(command), cwd=cwd, env=environment(env), capture_output=True, text=True, timeout=900
        )
        shown = " ".join(str(a).replace(str(home), "~") for a in command)
        transcript.extend([f"~{str(cwd).removeprefix(str(home))}$ {shown}  # exit {process.returncode}\n"])
        transcript.extend([process.stdout, process.stderr])
        if check:
            assert process.returncode == 0, f"{command}: {process.stdout[-2000:]}\n{process.stderr[-3000:]}"
        return process

    r: dict = {"hidden": hide, "transcript": transcript}
    # 1. The demo, in an empty folder: the tool brings its config, servers and (offline) stand-in.
    trial = home / "trial"
    trial.mkdir()
    r["demo"] = run("idura-cognito", "demo", cwd=trial)

    # 2. A new project folder, and the local servers for it in the background (started there, so what they write
    # lands where a person would run them); another shell loads env.sh.
    folder = home / "infra"
    r["folder"] = folder
    r["init"] = run("idura-cognito", "init", str(folder), cwd=home)
    servers = subprocess.Popen(
        wrap(("idura-cognito", "local")),
        cwd=folder,
        env=environment(None),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: what is left of it at the end can be killed as one
    )
    ports: list[int] = []  # moto's and the emulator's
    try:
        banner = [servers.stdout.readline() for _ in range(4)]
        r["local"] = banner
        domain = next(line for line in banner if line.startswith("Idura emulator")).split()[2]
        ports.extend([int(banner[0].rsplit(":", 1)[1]), int(domain.rsplit(":", 1)[1])])
        for line in (folder / ".idura-local" / "env.sh").read_text().splitlines():
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                loaded[name] = shlex.split(value)[0]
        config = tomllib.loads((folder / "idura-cognito.toml").read_text())
        config["defaults"]["idura"] = {"domain": domain, "secret_source": "managed"}
        config["stacks"][STACK]["idura"]["client_id"] = "urn:idura:test:userpath"
        config["stacks"][STACK]["user_pool"]["name"] = "acme-userpath"
        config["stacks"][STACK]["domain"]["prefix"] = "acme-userpath"
        write_config(folder / "idura-cognito.toml", config)
        r["version"] = run("idura-cognito", "--version", cwd=folder)
        r["synth"] = run("idura-cognito", "synth", cwd=folder)
        r["deploy"] = run("idura-cognito", "deploy", "--stack", STACK, "--auto-approve", cwd=folder)
        # Off CDKTF: the root keeps its state in its folder, so the state moves there with the render.
        r["hcl"] = run("idura-cognito", "hcl", "--stack", STACK, "--out", "hcl", "--move-state", cwd=folder)
        run("terraform", "init", "-input=false", "-no-color", cwd=folder / "hcl")
        r["hcl_apply"] = run("terraform", "apply", "-input=false", "-auto-approve", "-no-color", cwd=folder / "hcl")
        # A config that replaces the login domain: --auto-approve refuses it, loudly, and changes nothing.
        replacing = copy.deepcopy(config)
        replacing["stacks"][STACK]["domain"]["prefix"] = "acme-userpath-renamed"
        write_config(folder / "idura-cognito.toml", replacing)
        run("idura-cognito", "hcl", "--stack", STACK, "--out", "hcl", cwd=folder)
        r["replacing"] = run(
            "idura-cognito", "deploy", "--stack", STACK, "--hcl", "hcl", "--auto-approve", cwd=folder, check=False
        )
        write_config(folder / "idura-cognito.toml", config)
        run("idura-cognito", "hcl", "--stack", STACK, "--out", "hcl", cwd=folder)
        r["doctor"] = run(
            "idura-cognito", "doctor", "--stack", STACK, "--hcl", "hcl", "--json", cwd=folder, check=False
        )
        # What a person would commit now: `git add -A` in the project folder, dry run.
        run("git", "init", "-q", cwd=folder)
        r["git_add"] = run("git", "add", "-A", "--dry-run", cwd=folder).stdout.splitlines()
        r["destroy"] = run(
            "idura-cognito", "destroy", "--stack", STACK, "--hcl", "hcl", "--auto-approve", "--purge-idura", cwd=folder
        )
    finally:
        r["local_stop"] = _stop_as_a_service_manager_does(servers)
        r["local_stop"]["listening"] = [port for port in ports if _listening(port)]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(servers.pid, signal.SIGKILL)  # whatever it left behind (a test below fails then)

    # 3. HCL only: the wheel without extras.
    bare = _venv(home / "bare", str(wheel))
    loaded.clear()
    loaded["PATH"] = f"{bare / 'bin'}{os.pathsep}{os.environ['PATH']}"
    r["bare_hcl"] = run("idura-cognito", "hcl", "--stack", STACK, "--out", "hcl-only", cwd=folder, check=False)
    r["bare_synth"] = run("idura-cognito", "synth", cwd=folder, check=False)
    r["bare_demo"] = run("idura-cognito", "demo", cwd=trial, check=False)
    (home / "transcript.txt").write_text("".join(transcript))
    return r


def _stop_as_a_service_manager_does(servers: subprocess.Popen) -> dict:
    """SIGTERM, then wait (systemd's and Docker's stop). Not SIGINT: a test run started as a script's background job
    (`pytest ... &`) starts every command with SIGINT ignored, and the stop must not depend on how it was started."""
    servers.terminate()
    try:
        code = servers.wait(timeout=LOCAL_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        code = None
    return {"exit": code, "output": servers.stdout.read() if code is not None else ""}


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_the_demo_runs_from_the_installed_tool_in_an_empty_folder(user):
    demo = user["demo"]
    assert "Stack demo is deployed to local moto and the Idura emulator; a second plan has no changes." in demo.stdout
    assert "MitID" in demo.stdout and "ok, dkmitid" in demo.stdout


def test_local_prints_the_servers_and_the_environment_to_load(user):
    banner = "".join(user["local"])
    assert banner.startswith("AWS (moto)        http://127.0.0.1:")
    assert 'in your config: idura.domain = "localhost:' in banner and ". " in banner


def test_local_stops_on_sigterm_with_its_servers(user):
    stop = user["local_stop"]
    assert stop["exit"] == 0, f"`idura-cognito local` did not exit 0 within {LOCAL_STOP_SECONDS} s of SIGTERM: {stop}"
    assert "stopped" in stop["output"] and stop["listening"] == [], stop


def test_an_hcl_only_install_renders_and_names_the_extra_a_cdktf_command_needs(user):
    assert user["bare_hcl"].returncode == 0, user["bare_hcl"].stderr
    synth = user["bare_synth"]
    assert synth.returncode == 2
    assert "needs the cdktf extra" in synth.stderr and "pip install 'idura-cognito[cdktf]'" in synth.stderr
    assert "Traceback" not in synth.stderr
    demo = user["bare_demo"]
    assert demo.returncode == 2 and "needs the local extra" in demo.stderr


def test_the_checkout_is_out_of_reach(user):
    assert user["hidden"], "unshare could not hide the checkout; the test would not prove anything"


def test_init_scaffolds_and_names_the_next_commands(user):
    folder = user["folder"]
    assert sorted(
        p.name for p in folder.iterdir() if p.name in ("idura-cognito.toml", "cdktf.json", "main.py", ".gitignore")
    ) == [".gitignore", "cdktf.json", "idura-cognito.toml", "main.py"]
    assert (
        "idura-cognito plan --stack dev" in user["init"].stdout and "$EDITOR idura-cognito.toml" in user["init"].stdout
    )
    assert json.loads((folder / "cdktf.json").read_text())["app"] == "idura-cognito synth --quiet"


def test_synth_and_deploy_work_in_the_user_s_folder(user):
    import idura_cognito

    assert user["version"].stdout.strip() == f"idura-cognito {idura_cognito.__version__}"
    stack = user["folder"] / "cdktf.out" / "stacks" / STACK
    assert (stack / "cdk.tf.json").is_file() and list(stack.glob("assets/idura_application_program/*/__main__.py"))
    assert "Apply complete!" in user["deploy"].stdout


def test_the_rendered_hcl_applies_on_the_same_state_with_only_moves(user):
    assert "Apply complete! Resources: 0 added, 0 changed, 0 destroyed." in user["hcl_apply"].stdout
    # The state moved into the root's folder (no `moved` block or state command: the same file, renamed).
    assert f"moved terraform.{STACK}.tfstate to hcl/terraform.tfstate" in user["hcl"].stderr
    assert not (user["folder"] / f"terraform.{STACK}.tfstate").exists()
    assert (user["folder"] / "hcl" / "terraform.tfstate").stat().st_mode & 0o777 == 0o600
    assert (user["folder"] / "hcl" / "modules" / "idura-cognito" / "variables.tf").is_file()


def test_auto_approve_refuses_a_plan_that_replaces_the_login_domain(user):
    refused = user["replacing"]
    assert refused.returncode == 2, refused.stderr[-2000:]
    assert (
        "!! REPLACED: module.idura_cognito.aws_cognito_user_pool_domain.domain[0] would be replaced" in refused.stderr
    )
    assert "logins fail until the new domain answers" in refused.stderr
    assert "--auto-approve applies that only with --allow-replacement; nothing was changed" in refused.stderr
    assert "Apply complete" not in refused.stdout


def test_doctor_is_green(user):
    report = json.loads(user["doctor"].stdout)
    assert user["doctor"].returncode == 0 and report["ok"], report


def test_after_init_local_and_deploy_git_would_add_no_secret_key_or_state(user):
    added = [line.removeprefix("add ").strip("'") for line in user["git_add"]]
    assert "idura-cognito.toml" in added and "hcl/main.tf" in added, added
    leaks = [a for a in added if re.search(r"tfstate|\.idura-local/|\.terraform/|cdktf\.out/|\.pem$|\.key$", a)]
    assert leaks == [], leaks
    assert (user["folder"] / ".idura-local").is_dir()  # `local` wrote there; .gitignore kept it out


def test_destroy_removes_everything(user):
    # destroy applies a saved destroy plan, so Terraform reports it as an apply that destroyed everything
    assert re.search(r"Apply complete! Resources: 0 added, 0 changed, [1-9]\d* destroyed\.", user["destroy"].stdout)
    # Terraform's backup of the state before the destroy holds the client secret: destroy removes it and says so.
    assert list(user["folder"].rglob("*.tfstate.backup")) == []
    assert "Removed " in user["destroy"].stderr and ".tfstate.backup" in user["destroy"].stderr
