"""Teams share state in S3 with S3-native locking (use_lockfile): two applies of one stack at once, against moto.

The second apply starts while the first holds the lock (its .tflock object is in the bucket): it stops with
Terraform's lock error, the first finishes, the state is intact and the next plan is clean. (moto models the
conditional PutObject, If-None-Match, that the lock rests on, since moto 5.0.15.)
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.terraform import TerraformDir

# The config names moto itself (aws.endpoint_url): nothing else may point AWS calls there.
pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("endpoint_from_config_only")]
SCENARIO_SECONDS = 13  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

BUCKET = "acme-tfstate-locking"
KEY = "cognito/locked.tfstate"


def test_two_applies_at_once_one_runs_the_other_stops_with_the_lock_error(tmp_path, moto, boto, cli_config):
    boto("s3").create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    backend = {"type": "s3", "bucket": BUCKET, "key": KEY, "region": "eu-north-1", "use_lockfile": True}
    config = one_stack_config(  # the S3 backend on moto needs the endpoint in the config
        "acme-corp.test.idura.broker", "locked", secret_source="hand-registered", endpoint_url=moto.url, backend=backend
    )
    path = write_config(tmp_path / "idura-cognito.toml", config)
    assert run_cli("secret", "put", "--stack", "locked", "--config", str(path), input="s3cret+/=\n").returncode == 0
    out = tmp_path / "hcl"
    assert run_cli("hcl", "--config", str(path), "--stack", "locked", "--out", str(out)).returncode == 0
    versions = (out / "versions.tf").read_text()
    assert "use_lockfile" in versions and "use_path_style" in versions
    tf = TerraformDir.at(out, cli_config)
    tf.init()

    first = subprocess.Popen(
        ["terraform", "apply", "-input=false", "-auto-approve", "-no-color"],
        cwd=out,
        env=tf.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    s3 = boto("s3")
    deadline = time.monotonic() + 60
    locked = False
    while time.monotonic() < deadline and first.poll() is None:
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        if f"{KEY}.tflock" in keys:
            locked = True
            break
        time.sleep(0.05)
    assert locked, "the first apply never held the lock"
    second = tf.run("apply", "-input=false", "-auto-approve", check=False)
    first_out, first_err = first.communicate(timeout=300)

    assert first.returncode == 0, first_err
    assert second.returncode == 1
    assert "Error acquiring the state lock" in second.stdout + second.stderr
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert f"{KEY}.tflock" not in keys  # released
    state = json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())
    assert len(state["resources"]) >= 4  # intact: what the first apply made
    assert tf.plan()[0] == 0
