"""The lazy loading of the provider bindings (idura_cognito/stacks/bindings.py) changes nothing in the output:
every synthesized file is byte-identical to an app that imports the bindings packages the ordinary way."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.paths import CLI, ROOT

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


TEAM_IMPORTS = """
import sys
import idura_cognito.stacks.app  # what the CLI loads to synthesize
print(sum(1 for m in sys.modules if m.startswith("cdktf_cdktf_provider_aws.")))

from idura_cognito.stacks import IduraCognitoStack  # first: the bare packages are registered now

import cdktf_cdktf_provider_aws as aws
from cdktf_cdktf_provider_aws.iam_role import IamRole
import cdktf_cdktf_provider_external as external

assert aws.s3_bucket.S3Bucket.__name__ == "S3Bucket"
assert aws.cognito_user_pool.CognitoUserPool.__name__ == "CognitoUserPool"
assert IamRole.__name__ == "IamRole"
assert external.data_external.DataExternal.__name__ == "DataExternal"
assert "s3_bucket" in aws.__all__ and "cognito_user_pool" in aws.__all__  # what `import *` reads
try:
    aws.no_such_resource
except AttributeError as error:
    assert "no_such_resource" in str(error)
else:
    raise AssertionError("a missing name must raise AttributeError")
print("ok")
"""


def test_the_cli_loads_few_bindings_and_a_team_importing_them_after_gets_the_package_it_expects():
    """Synthesizing loads the used resource types' modules only (the ordinary import: ~2,100). Then, in the same
    process (one jsii start for both), the trap a team fell into: after idura-cognito, `aws.s3_bucket` was an
    AttributeError. (Importing the bindings first leaves them as they are: bindings.py then uses the package the
    ordinary way.)"""
    result = subprocess.run(
        [CLI_PYTHON, "-c", TEAM_IMPORTS],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    count, ok = result.stdout.split()
    assert int(count) < 50  # the used resource types and their jsii support
    assert ok == "ok"
