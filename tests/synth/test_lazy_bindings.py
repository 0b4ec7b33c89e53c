"""The lazy loading of the provider bindings (idura_cognito/stacks/bindings.py) changes nothing in the output:
every synthesized file is byte-identical to an app that imports the bindings packages the ordinary way."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import CLI, ROOT

SCENARIO_SECONDS = 20  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)
XDIST_GROUP = "synthesized"  # one worker synthesizes the test stacks once (session fixture) for both files

CLI_PYTHON = Path(CLI).read_text().splitlines()[0].removeprefix("#!").strip()  # the CLI's own Python


def test_synth_is_byte_identical_to_the_ordinary_import_path(synthesized, tmp_path):
    config, lazy_out = synthesized
    interpreter = CLI_PYTHON
    naive_out = config.parent / "naive.out"  # beside cdktf.out: relative state paths come out the same
    result = subprocess.run(
        [interpreter, str(ROOT / "bench" / "naive_app.py"), str(config), str(naive_out)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, result.stderr
    lazy, naive = synthesized_files(lazy_out), synthesized_files(naive_out)
    assert sorted(lazy) == sorted(naive)
    assert len(lazy) >= 6  # manifest + one cdk.tf.json per stack
    for path, content in lazy.items():
        assert content == naive[path], f"{path} differs between the lazy and the ordinary import path"


def synthesized_files(outdir: Path) -> dict[Path, bytes]:
    """What synth writes (the manifest and each stack's JSON), not what later terraform runs add there."""
    return {
        p.relative_to(outdir): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.name in ("manifest.json", "cdk.tf.json")
    }


def test_the_cli_does_not_import_every_bindings_module(tmp_path):
    probe = (
        "import sys, idura_cognito.stacks.app\n"
        "print(sum(1 for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.')))\n"
    )
    interpreter = CLI_PYTHON
    result = subprocess.run(
        [interpreter, "-c", probe],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) < 50  # the used resource types and their jsii support; the ordinary import: ~2,100
