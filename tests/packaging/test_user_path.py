"""The user's path, end to end, outside the checkout: the built wheel installed into a fresh virtualenv, `init`
in an empty folder, the config edited to the local emulators, `synth` and `deploy`, `hcl` and `terraform apply`
of the rendered root on the same state, `doctor` green, `destroy`.

Every user command runs with the checkout hidden: in a mount namespace where the checkout's folder is an empty
tmpfs (`unshare`), so nothing can be read from the source tree. (moto and the emulator are the test's own
servers, started before.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

from tests.conftest import PLAIN_TERRAFORM_ENV, ROOT

XDIST_GROUP = "packaging"  # one worker builds the wheel once (the session fixture `dist`) for both files

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 80  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)
STACK = "dev"


def hidden_checkout_works() -> bool:
    probe = ["unshare", "-m", "sh", "-c", f"mount -t tmpfs none {ROOT} && test ! -e {ROOT}/pyproject.toml"]
    return shutil.which("unshare") is not None and subprocess.run(probe, capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def user(dist, tmp_path_factory, moto, idura):
    home = tmp_path_factory.mktemp("user")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    (wheel,) = dist.glob("*.whl")
    install = subprocess.run(
        # --no-compile: byte code is written on first import instead (saves ~30 s of CPU for ~2,100 binding modules)
        [str(venv / "bin" / "pip"), "install", "--no-compile", "--disable-pip-version-check", "-q", f"{wheel}[local]"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    hide = hidden_checkout_works()
    transcript: list[str] = []

    def run(*command: str, cwd: Path, env: dict | None = None, check: bool = True):
        args = list(command)
        if hide:  # the checkout's folder is an empty tmpfs for the command
            args = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs none {ROOT} && exec "$@"', "user", *args]
        environment = {
            # Terraform as on a user's machine (no reattached provider; still counted when the suite counts).
            "PATH": os.pathsep.join(
                filter(None, [str(venv / "bin"), os.environ.get(PLAIN_TERRAFORM_ENV), os.environ["PATH"]])
            ),
            "HOME": str(home),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
            "CHECKPOINT_DISABLE": "1",
            **idura.environment(),
            **(env or {}),
        }
        process = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=900)
        shown = " ".join(str(a).replace(str(home), "~") for a in command)
        transcript.extend([f"~{str(cwd).removeprefix(str(home))}$ {shown}  # exit {process.returncode}\n"])
        transcript.extend([process.stdout, process.stderr])
        if check:
            assert process.returncode == 0, f"{command}: {process.stdout[-2000:]}\n{process.stderr[-3000:]}"
        return process

    # The stand-in for hashicorp/external (offline machine), from the installed package, not the checkout.
    mirror = home / "mirror"
    run(
        str(venv / "bin" / "python"),
        "-c",
        "import sys; from pathlib import Path; from idura_cognito import toolchain;"
        "from idura_cognito.emulators.external_stand_in import install_stand_in;"
        "m = install_stand_in(Path(sys.argv[1]));"
        "print(toolchain.write_cli_config(Path(sys.argv[2]), extra_mirrors=[m]))",
        str(mirror),
        str(home / "cli.tfrc"),
        cwd=home,
    )
    terraform_env = {"TF_CLI_CONFIG_FILE": str(home / "cli.tfrc")}
    folder = home / "infra"
    r = {"hidden": hide, "transcript": transcript, "folder": folder}
    r["init"] = run("idura-cognito", "init", str(folder), cwd=home)
    config = tomllib.loads((folder / "idura-cognito.toml").read_text())
    config["defaults"]["aws"]["endpoint_url"] = moto.url
    config["defaults"]["idura"] = {"domain": idura.domain, "secret_source": "managed"}
    config["stacks"][STACK]["idura"]["client_id"] = "urn:idura:test:userpath"
    config["stacks"][STACK]["user_pool"]["name"] = "acme-userpath"
    config["stacks"][STACK]["domain"]["prefix"] = "acme-userpath"
    (folder / "idura-cognito.toml").write_text(tomli_w.dumps(config))
    r["version"] = run("idura-cognito", "--version", cwd=folder)
    r["synth"] = run("idura-cognito", "synth", cwd=folder)
    r["deploy"] = run("idura-cognito", "deploy", "--stack", STACK, "--auto-approve", cwd=folder, env=terraform_env)
    r["hcl"] = run("idura-cognito", "hcl", "--stack", STACK, "--out", "hcl", cwd=folder)
    run("terraform", "init", "-input=false", "-no-color", cwd=folder / "hcl", env=terraform_env)
    r["hcl_apply"] = run(
        "terraform", "apply", "-input=false", "-auto-approve", "-no-color", cwd=folder / "hcl", env=terraform_env
    )
    r["doctor"] = run("idura-cognito", "doctor", "--stack", STACK, "--json", cwd=folder, check=False)
    r["destroy"] = run(
        "idura-cognito",
        "destroy",
        "--stack",
        STACK,
        "--hcl",
        "hcl",
        "--auto-approve",
        "--purge-idura",
        cwd=folder,
        env=terraform_env,
    )
    # The run as a reader sees it (commands, exit codes, output), kept next to the user's folder.
    (home / "transcript.txt").write_text("".join(transcript))
    return r


def test_the_checkout_is_out_of_reach(user):
    assert user["hidden"], "unshare could not hide the checkout; the test would not prove anything"


def test_init_scaffolds_and_names_the_next_commands(user):
    folder = user["folder"]
    assert sorted(
        p.name for p in folder.iterdir() if p.name in ("idura-cognito.toml", "cdktf.json", "main.py", ".gitignore")
    ) == [".gitignore", "cdktf.json", "idura-cognito.toml", "main.py"]
    assert user["init"].stdout.count("idura-cognito ") == 2 and "$EDITOR idura-cognito.toml" in user["init"].stdout
    assert json.loads((folder / "cdktf.json").read_text())["app"] == "idura-cognito synth --quiet"


def test_synth_and_deploy_work_in_the_user_s_folder(user):
    import idura_cognito

    assert user["version"].stdout.strip() == f"idura-cognito {idura_cognito.__version__}"
    stack = user["folder"] / "cdktf.out" / "stacks" / STACK
    assert (stack / "cdk.tf.json").is_file() and (stack / "bin" / "idura_application.pyz").is_file()
    assert "Apply complete!" in user["deploy"].stdout


def test_the_rendered_hcl_applies_on_the_same_state_with_only_moves(user):
    assert "Apply complete! Resources: 0 added, 0 changed, 0 destroyed." in user["hcl_apply"].stdout
    assert (user["folder"] / "hcl" / "modules" / "idura-cognito" / "variables.tf").is_file()


def test_doctor_is_green(user):
    report = json.loads(user["doctor"].stdout)
    assert user["doctor"].returncode == 0 and report["ok"], report


def test_destroy_removes_everything(user):
    # destroy applies a saved destroy plan, so Terraform reports it as an apply that destroyed everything
    assert re.search(r"Apply complete! Resources: 0 added, 0 changed, [1-9]\d* destroyed\.", user["destroy"].stdout)
