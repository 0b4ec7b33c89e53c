"""Shared fixtures and the session's hooks; the helpers tests import are modules under tests/support/. Slow
things (moto, the emulator, a CDKTF synth) start once per worker and are shared.

Every test that starts the terraform binary carries the ``terraform`` marker (``make test-fast`` leaves them
out). The session counts Terraform invocations through a wrapper first on PATH and prints the count at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.config import write_config
from tests.support.paths import COUNT_ENV, PLAIN_TERRAFORM_ENV, ROOT
from tests.support.secrets import TEST_TOKEN

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CHECKPOINT_DISABLE", "1")


# -- the Terraform invocation count ----------------------------------------------------------------------------


def pytest_configure(config):
    if hasattr(config, "workerinput") and os.environ.get(COUNT_ENV):
        # Terraform's provider cache is not safe for concurrent writers: one per worker. init then links the
        # 675 MB AWS provider instead of copying it (the first init of each worker fills the cache).
        cache = Path(os.environ[COUNT_ENV]).parent / f"plugin-cache-{config.workerinput['workerid']}"
        cache.mkdir(exist_ok=True)
        os.environ["TF_PLUGIN_CACHE_DIR"] = str(cache)
        return
    if os.environ.get(COUNT_ENV):
        return
    real = shutil.which("terraform")
    if real is None:
        return
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"idura-cognito-tf-count-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "invocations.log"
    log.write_text("")
    # Counts each invocation; starts the AWS provider once per plan/apply instead of three times (see
    # tests/support/terraform_wrapper.py). The user-path test's `terraform` (under plain/) only counts: Terraform
    # launches every plugin itself, as on a user's machine. That test hides this checkout from the commands it
    # runs, so the wrapper is copied out and run by the base interpreter (it needs only the standard library).
    from idura_cognito.definitions.versions import AWS_PROVIDER_PINNED

    wrapper = folder / "terraform_wrapper.py"
    shutil.copyfile(ROOT / "tests" / "support" / "terraform_wrapper.py", wrapper)
    python = getattr(sys, "_base_executable", sys.executable)
    for where, binary in ((folder, _aws_provider_binary(AWS_PROVIDER_PINNED)), (folder / "plain", "")):
        where.mkdir(exist_ok=True)
        script = where / "terraform"
        script.write_text(
            f'#!/bin/sh\nexec "{python}" -I "{wrapper}" "{log}" "{real}" "{binary}" "{AWS_PROVIDER_PINNED}" "$@"\n'
        )
        script.chmod(0o755)
    os.environ[PLAIN_TERRAFORM_ENV] = str(folder / "plain")
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ['PATH']}"
    os.environ[COUNT_ENV] = str(log)
    if not getattr(config.option, "numprocesses", None):  # a run without workers: one cache
        cache = folder / "plugin-cache"
        cache.mkdir(exist_ok=True)
        os.environ.setdefault("TF_PLUGIN_CACHE_DIR", str(cache))


def _aws_provider_binary(version: str) -> str:
    """The AWS provider ``version`` for this platform in this machine's mirror ("" when there is none: Terraform
    launches it)."""
    import platform

    from idura_cognito.terraform import environment as terraform_environment

    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    for mirror in terraform_environment.find_mirrors():
        folder = mirror / "registry.terraform.io" / "hashicorp" / "aws" / version / f"{sys.platform}_{machine}"
        found = sorted(folder.glob(f"terraform-provider-aws_v{version}*"))
        if found:
            return str(found[0])
    return ""


# -- every test the docs cite passed in this run ---------------------------------------------------------------

_CITED_OUTCOMES: dict[str, str] = {}


def _cited_tests() -> set[str]:
    """``tests/x.py::test_y`` for every test README.md and docs/ name (tests/unit/test_docs_claims.py)."""
    from tests.unit.test_docs_claims import _references

    return {f"{path}::{test}" for _, path, test in _references() if test}


def pytest_runtest_logreport(report):
    """Runs in the controller too (xdist forwards every report): the outcome of each test, by file and name."""
    name = report.nodeid.split("[", 1)[0].split("@", 1)[0]
    if report.when == "call" or report.outcome != "passed":
        previous = _CITED_OUTCOMES.get(name, "passed")
        outcome = "passed" if report.outcome == "passed" and previous == "passed" else report.outcome
        if report.when == "setup" and report.outcome == "skipped":
            outcome = "skipped"
        _CITED_OUTCOMES[name] = outcome


def pytest_sessionfinish(session, exitstatus):
    """A claim whose test ran in this run holds only if that test passed (a skipped or failed test proves
    nothing): the run fails otherwise. `make test` runs every cited test but the upgrade test's."""
    if hasattr(session.config, "workerinput") or exitstatus not in (0, 1):
        return
    unproven = sorted(
        f"{name} ({_CITED_OUTCOMES[name]})"
        for name in _cited_tests()
        if name in _CITED_OUTCOMES and _CITED_OUTCOMES[name] != "passed"
    )
    if unproven:
        session.config.get_terminal_writer().line(
            "claims in the docs whose tests did not pass in this run: " + ", ".join(unproven), red=True
        )
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    log = os.environ.get(COUNT_ENV)
    if not log or not Path(log).exists():
        return
    entries = [line.split(maxsplit=4) for line in Path(log).read_text().splitlines() if line.strip()]
    commands = Counter(entry[0] for entry in entries)
    wall = sum(float(entry[1]) for entry in entries)
    cpu = sum(float(entry[2]) for entry in entries)
    reattached = sum(entry[3] == "reattached" for entry in entries)
    detail = ", ".join(f"{name} {count}" for name, count in commands.most_common())
    terminalreporter.write_line(
        f"Terraform invocations: {len(entries)} ({detail or 'none'}); {wall:.0f} s wall, {cpu:.0f} s CPU in Terraform "
        f"and its providers; AWS provider started once (reattached) in {reattached}"
    )


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which turns the markers into the groups it schedules
def pytest_collection_modifyitems(config, items):
    """With `pytest -n 2 --dist loadgroup`, each file runs on one worker (its module-scoped scenario runs once);
    a file may name a shared group (XDIST_GROUP) to never overlap another.

    Groups are handed out in collection order (`--no-loadscope-reorder`), so the files that declare the most
    SCENARIO_SECONDS (measured on the 2-core machine) go first and the many short tests fill in at the end:
    longest first, so both workers finish at about the same time.
    """
    for item in items:
        if getattr(item.module, "XDIST_SPREAD", False):
            continue  # independent cases without a module-scoped scenario: any worker
        group = getattr(item.module, "XDIST_GROUP", None) or item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))
    if getattr(config.option, "numprocesses", None):
        cost = {id(item): _scenario_seconds(item) for item in items}
        items.sort(key=lambda item: -cost[id(item)])  # stable: a file's own order is kept


def _scenario_seconds(item) -> float:
    default = -1.0 if getattr(item.module, "XDIST_SPREAD", False) else 0.0  # short spread cases fill in last
    return float(getattr(item.module, "SCENARIO_SECONDS", default))


# -- local AWS and Idura ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("artifacts")


@pytest.fixture(scope="session")
def aws_credentials():
    """moto accepts any keys; set dummy ones so nothing can reach a real account by accident."""
    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")  # noqa: S105
    os.environ.pop("AWS_PROFILE", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def moto_faults(artifacts) -> Path:
    """A file named after an operation here makes moto fail its next call (moto_server.py)."""
    folder = artifacts / "moto-faults"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def moto(artifacts, aws_credentials, moto_faults):
    from idura_cognito.local.processes import start_moto

    server = start_moto(artifacts / "logs", faults_dir=moto_faults)
    # Where a test's config has no aws.endpoint_url, the AWS provider, boto3 and so the product reach moto
    # through this (tests/support/stacks.py says why).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL", server.url)
        yield server
    server.stop()


@pytest.fixture(scope="module")
def endpoint_from_config_only(moto):
    """For files whose configs name moto in aws.endpoint_url: no AWS_ENDPOINT_URL, so an AWS service or client
    that misses the config's endpoint fails here as it would for a user (it would reach real AWS)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        yield


@pytest.fixture(scope="session")
def boto(moto):
    import boto3

    def client(service: str):
        return boto3.client(service, region_name="eu-north-1", endpoint_url=moto.url)

    return client


@pytest.fixture(scope="session")
def existing_pool(boto):
    """A pool and prefix domain made outside the product, as a team's existing setup would be."""
    cognito = boto("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="acme-existing")["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="acme-existing", UserPoolId=pool_id)
    return pool_id, "acme-existing"


@pytest.fixture(scope="session")
def idura(artifacts):
    """The Idura emulator over HTTPS (throwaway CA), as the managed stacks' Idura domain."""
    from idura_cognito.local.processes import start_idura_emulator

    emulator = start_idura_emulator(artifacts / "idura", token=TEST_TOKEN)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def idura_admin(idura):
    from tests.support.idura_admin import EmulatorAdmin

    admin = EmulatorAdmin(idura)
    yield admin
    admin.http.close()  # an open keep-alive connection holds the emulator's graceful shutdown for seconds


@pytest.fixture(scope="session")
def cli_config(artifacts) -> Path:
    """The project's CLI config plus a mirror holding the stand-in for hashicorp/external (offline machines)."""
    from idura_cognito.local.external_stand_in import install_stand_in
    from idura_cognito.terraform import environment as terraform_environment

    mirror = install_stand_in(artifacts / "stand-in-mirror")
    return terraform_environment.write_cli_config(artifacts / "cli.tfrc", extra_mirrors=[mirror])


@pytest.fixture(scope="session")
def synthesized(artifacts, moto, existing_pool, idura):
    """Synthesize every test stack once, through the CLI as a user would. Returns (config path, outdir)."""
    from tests.support.stacks import test_config

    state_dir = artifacts / "state"
    state_dir.mkdir()
    config = write_config(
        artifacts / "idura-cognito.toml",
        test_config(state_dir, *existing_pool, idura_domain=idura.domain),
    )
    outdir = artifacts / "cdktf.out"
    result = run_cli("synth", "--config", str(config), "--out", str(outdir), "--no-cache", cwd=artifacts)
    assert result.returncode == 0, result.stderr
    return config, outdir
