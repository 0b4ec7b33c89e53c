"""The synth cache: a synth whose inputs did not change reuses the last output, byte for byte; any input changed
alone invalidates it; a damaged entry is never served; two synths at once leave a sound entry; it can be turned
off; it lives in the project folder and holds no secret."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from idura_cognito.config import load_config
from idura_cognito.stacks import synth_cache
from tests.support.cli import run_cli
from tests.support.config import base_config, write_config
from tests.support.paths import CLI
from tests.support.secrets import files_holding

SCENARIO_SECONDS = 20  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)


def write_project(folder: Path) -> Path:
    config = base_config()
    config["stacks"]["prod"] = config["stacks"]["dev"] | {"user_pool": {"name": "acme-prod"}}
    return write_config(folder / "idura-cognito.toml", config)


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path)


def key(config_path, outdir="cdktf.out", stacks=("dev",)):
    return synth_cache.cache_key(load_config(config_path), Path(outdir), list(stacks))


# -- each input alone changes the key ------------------------------------------------------------------------


def test_the_key_is_stable_for_unchanged_inputs(project):
    assert key(project) == key(project)


def test_the_config_file_s_bytes(project):
    before = key(project)
    project.write_text(project.read_text() + "\n# a comment changes the bytes\n")
    assert key(project) != before


def test_which_stacks_were_asked_for(project):
    assert key(project, stacks=("dev",)) != key(project, stacks=("dev", "prod"))


def test_the_output_folder(project):
    assert key(project, outdir="cdktf.out") != key(project, outdir="elsewhere")


def test_the_product_s_own_code_and_templates(project, tmp_path, monkeypatch):
    code = tmp_path / "code" / "idura_cognito"
    code.mkdir(parents=True)
    (code / "module.py").write_text("A = 1\n")
    (code / "template.tf.j2").write_text("x\n")
    monkeypatch.setattr(synth_cache, "code_roots", lambda: [code])
    before = key(project)
    (code / "template.tf.j2").write_text("y\n")
    after_template = key(project)
    (code / "module.py").write_text("A = 2\n")
    assert len({before, after_template, key(project)}) == 3


@pytest.mark.parametrize("distribution", synth_cache.distributions())
def test_the_version_of_every_distribution_that_reaches_the_output(project, monkeypatch, distribution):
    from importlib import metadata

    before = key(project)
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "9.9.9" if name == distribution else real(name))
    assert key(project) != before


def test_the_key_covers_both_packages_the_program_included():
    """The real code roots (not a stand-in): the program is the product's own code (the idura_verify package),
    so a changed program changes the key."""
    import idura_cognito
    import idura_verify
    from idura_cognito.hcl import program_source

    roots = synth_cache.code_roots()
    assert roots == [Path(idura_cognito.__file__).resolve().parent, Path(idura_verify.__file__).resolve().parent]
    assert all((roots[1] / "program" / name).is_file() for name in program_source.FILES)


def test_the_python_interpreter(project, monkeypatch):
    before = key(project)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert key(project) != before


@pytest.mark.parametrize("variable", ["CDKTF_CONTEXT_JSON", "SYNTH_HCL_OUTPUT", "JSII_RUNTIME"])
def test_every_environment_variable_the_synth_reads(project, monkeypatch, variable):
    before = key(project)
    monkeypatch.setenv(variable, "changed")
    assert key(project) != before


def test_variables_the_synth_does_not_read_leave_the_key_alone(project, monkeypatch):
    before = key(project)
    monkeypatch.setenv("IDURA_MANAGEMENT_TOKEN", "not part of any key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nor this")
    assert key(project) == before


# -- real synths ----------------------------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def synth(project, *extra, env=None):
    return run_cli("synth", "--config", str(project), "--out", "cdktf.out", *extra, cwd=project.parent, env=env)


CANARY = "IDURA-TOKEN-CANARY-synth-cache"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """One cold synth for the file: a project, its output, its cache entry and a copy of that entry, so each test
    starts from a sound entry without paying another cold synth (about 3 CPU-seconds each, the jsii runtime)."""
    folder = tmp_path_factory.mktemp("seeded")
    project = write_project(folder)
    cold = synth(project, env={"IDURA_MANAGEMENT_TOKEN": CANARY})
    assert cold.returncode == 0 and "reused" not in cold.stderr, cold.stderr
    (entry,) = (folder / synth_cache.CACHE_DIR).iterdir()
    shutil.copytree(entry, folder / "entry.copy")
    return project, tree(folder / "cdktf.out"), entry


@pytest.fixture
def seeded(seed):
    """The seeded project as the cold synth left it: its output and its one sound entry."""
    project, good, entry = seed
    shutil.rmtree(project.parent / "cdktf.out")
    for relative, data in good.items():
        path = project.parent / "cdktf.out" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    shutil.rmtree(entry.parent)
    shutil.copytree(project.parent / "entry.copy", entry)
    return project, good, entry


def test_a_warm_synth_is_byte_identical_to_a_cold_one_and_holds_no_secret(seeded):
    project, cold, entry = seeded  # the cold synth ran with the canary token in its environment
    warm = synth(project)
    assert warm.returncode == 0 and "(unchanged inputs: reused the last synth)" in warm.stderr
    assert tree(project.parent / "cdktf.out") == cold
    uncached = synth(project, "--no-cache")
    assert "reused" not in uncached.stderr and tree(project.parent / "cdktf.out") == cold
    assert list(entry.parent.iterdir()) == [entry]  # in the project folder, one entry
    assert files_holding(entry.parent, CANARY) == []


def test_a_damaged_entry_is_never_served(seeded):
    project, good, entry = seeded
    stack = next(entry.rglob("cdk.tf.json"))
    stack.write_text(stack.read_text().replace("acme-dev", "tampered"))
    served = synth(project)
    assert "reused" not in served.stderr  # detected: a cold synth ran
    assert tree(project.parent / "cdktf.out") == good
    (entry / synth_cache.MANIFEST).unlink()  # half-written: no manifest
    assert "reused" not in synth(project).stderr
    assert tree(project.parent / "cdktf.out") == good
    assert "reused" in synth(project).stderr  # the half-written entry was replaced by a sound one


def test_a_restore_never_writes_through_a_link(seeded):
    """A synthesized cdk.tf.json replaced by a link (to a state file, mode 0600): the restore replaces the link
    with the file and leaves the link's target, its bytes and its mode, alone."""
    project, _, _ = seeded
    stack = project.parent / "cdktf.out" / "stacks" / "dev" / "cdk.tf.json"
    target = project.parent / "terraform.dev.tfstate"
    target.write_text('{"secret": "state"}')
    target.chmod(0o600)
    stack.unlink()
    stack.symlink_to(target)
    served = synth(project)
    assert served.returncode == 0 and "reused" in served.stderr
    assert not stack.is_symlink() and json.loads(stack.read_text())["terraform"]
    assert target.read_text() == '{"secret": "state"}' and target.stat().st_mode & 0o777 == 0o600


# The two below ask the cache's own check (_verified, the only gate before a restore) rather than pay a cold
# synth: a refused entry takes the path test_a_damaged_entry_is_never_served runs end to end.


def test_an_entry_edited_and_rehashed_is_never_served(seeded):
    """Someone (a cloned repository, another user) edits a cached file and rewrites the manifest's hashes: the
    manifest's HMAC under this user's private key no longer matches, so it is not served."""
    _, _, entry = seeded
    stack = next(entry.rglob("cdk.tf.json"))
    stack.write_text(stack.read_text().replace("acme-dev", "tampered"))
    signed = json.loads((entry / synth_cache.MANIFEST).read_text())
    relative = stack.relative_to(entry).as_posix()
    signed["files"][relative]["sha256"] = hashlib.sha256(stack.read_bytes()).hexdigest()
    (entry / synth_cache.MANIFEST).write_text(json.dumps(signed))
    assert synth_cache._verified(entry) is None
    assert not entry.exists()  # removed, so the next synth stores a sound one


def test_a_manifest_path_outside_the_stack_folders_is_never_written(seeded, tmp_path):
    """Even an entry signed with the right key (a bug, not an attacker) writes only synthesized files inside the
    output folder."""
    project, _, entry = seeded
    target = tmp_path / "escaped.txt"
    relative = os.path.relpath(target, project.parent / "cdktf.out")
    (entry / "payload").write_text("x")
    signed = json.loads((entry / synth_cache.MANIFEST).read_text())
    files = signed["files"] | {relative: {"sha256": hashlib.sha256(b"x").hexdigest(), "mode": 0o644}}
    key = synth_cache._signing_key()
    (entry / synth_cache.MANIFEST).write_text(json.dumps({"files": files, "hmac": synth_cache._signature(key, files)}))
    assert synth_cache._verified(entry) is None
    assert not target.exists()


def test_only_synthesized_files_are_cached(seeded, monkeypatch):
    """A plan in JSON (it holds the secret) left in a stack folder is neither cached nor brought back."""
    project, _, entry = seeded
    leftover = project.parent / "cdktf.out" / "stacks" / "dev" / "plan.json"
    leftover.write_text('{"client_secret": "left-behind"}')
    shutil.rmtree(entry)
    monkeypatch.chdir(project.parent)  # the CLI's --out is relative to its folder
    synth_cache._store(entry, Path("cdktf.out"), ["dev", "prod"])  # what a cold synth stores from this folder
    for path in (project.parent / ".idura-cognito").rglob("*"):
        assert path.name != "plan.json" and (not path.is_file() or b"left-behind" not in path.read_bytes())
    shutil.rmtree(project.parent / "cdktf.out")
    warm = synth(project)
    assert "reused" in warm.stderr and not leftover.exists()


def test_two_synths_at_once_leave_one_sound_entry(project):
    env = {**os.environ}
    processes = [
        subprocess.Popen(
            [CLI, "synth", "--config", str(project), "--out", f"out{i}"],
            cwd=project.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(2)
    ]
    assert [p.wait(timeout=300) for p in processes] == [0, 0]
    cache = project.parent / ".idura-cognito" / "synth-cache"
    entries = [e for e in cache.iterdir() if not e.name.startswith(".")]
    assert len(entries) == 2  # the output folder is part of the key: one entry each, both whole
    for entry in entries:
        assert synth_cache._verified(entry) is not None
    assert not [e for e in cache.iterdir() if e.name.startswith(".")]  # no half-written staging left


def test_the_environment_switch_turns_it_off(project):
    result = synth(project, env={synth_cache.DISABLE_ENV: "1"})
    assert result.returncode == 0 and not (project.parent / ".idura-cognito").exists()


def test_the_scaffold_ignores_the_cache_folder(tmp_path):
    assert run_cli("init", str(tmp_path / "infra")).returncode == 0
    assert ".idura-cognito/" in (tmp_path / "infra" / ".gitignore").read_text().splitlines()


def test_python_main_py_uses_it_too(project):
    main = project.parent / "main.py"
    assert run_cli("init", str(project.parent), "--force").returncode == 0
    write_config(project, base_config())
    python = Path(CLI).read_text().splitlines()[0].removeprefix("#!")
    runs = [
        subprocess.run([python, str(main)], cwd=project.parent, capture_output=True, text=True, timeout=300)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert "reused" not in runs[0].stderr and "(unchanged inputs: reused the last synth)" in runs[1].stderr
