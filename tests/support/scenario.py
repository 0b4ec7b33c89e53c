"""One deploy scenario of a synthesized stack against moto, run once per test file and recorded for asserts."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.config import write_config
from tests.support.linking import deployed_trigger, one_person_through_two_buttons
from tests.support.secrets import cognito_secrets, escrowed_secret
from tests.support.terraform import APPLY, DESTROY, PLAN, TerraformDir


@dataclass
class DeployRecord:
    plan_without_escrow: tuple[int, str] = (-1, "")
    secret_put_rc: int = -1
    apply_rc: int = -1
    second_plan: tuple[int, str] = (-1, "")
    hcl_plan: tuple[int, str] = (-1, "")
    outputs: dict = field(default_factory=dict)
    cognito_secrets: dict[str, str] = field(default_factory=dict)
    escrowed: str = ""
    rotation_plan: tuple[int, str] = (-1, "")
    cognito_secrets_after_rotation: dict[str, str] = field(default_factory=dict)
    destroy_rc: int = -1
    remaining_providers: list[str] = field(default_factory=list)
    user_pool_after_destroy: bool | None = None
    rename_plan: tuple[int, str] = (-1, "")  # a client renamed in the config (renamed_from), planned on the state
    linking: dict = field(default_factory=dict)  # tests/support/linking.py deployed_trigger
    one_person: dict = field(default_factory=dict)  # ... one_person_through_two_buttons (Idura, then MitID)
    transcript: list[str] = field(default_factory=list)


def deploy(
    stack: str,
    config: Path,
    outdir: Path,
    cli_config: Path,
    boto,
    secret: str,
    rotated: str | None = None,
    hcl_out: Path | None = None,
    rename: tuple[str, str] | None = None,
):
    """Plan without escrow, secret put, apply, plan again; with ``hcl_out``, the rendered HCL plans the same state;
    with ``rotated``, a new escrowed secret is applied; destroy. (No separate `terraform validate`: a plan or
    apply that succeeds has validated the whole configuration first.)"""
    record = DeployRecord()
    tf = TerraformDir.at(outdir / "stacks" / stack, cli_config)
    cli = ["--config", str(config)]

    def cli_run(*args: str, input: str | None = None):
        result = run_cli(*args, input=input)
        record.transcript += [result.stdout, result.stderr]
        return result

    tf.init()
    record.plan_without_escrow = tf.attempt(*PLAN)
    record.secret_put_rc = cli_run("secret", "put", "--stack", stack, *cli, input=secret + "\n").returncode
    record.apply_rc = tf.attempt(*APPLY)[0]
    record.second_plan = tf.attempt(*PLAN, "-refresh=false")  # nothing changed in AWS since the apply
    record.outputs = tf.outputs()
    assert "user_pool_id" in record.outputs, tf.text()[-3000:]
    pool_id = record.outputs["user_pool_id"]
    cognito = boto("cognito-idp")
    record.escrowed = escrowed_secret(boto, record.outputs["escrow_secret_name"])
    record.cognito_secrets = cognito_secrets(boto, pool_id)
    record.linking = deployed_trigger(boto, pool_id, tf.workdir)
    if record.linking["pre_sign_up"] and record.linking["package"]:
        record.one_person = one_person_through_two_buttons(
            os.environ["AWS_ENDPOINT_URL"], pool_id, record.linking, "Idura", "MitID"
        )
    if hcl_out is not None:  # CDKTF to plain Terraform: the rendered root on the state the stack applied
        cli_run("hcl", "--stack", stack, *cli, "--out", str(hcl_out))
        hcl = TerraformDir.at(hcl_out, cli_config)
        hcl.init()
        record.hcl_plan = hcl.attempt(*PLAN)
        record.transcript += hcl.transcript
    if rename is not None:  # the same state planned with a client renamed: it moves, nothing is replaced
        old, new = rename
        document = tomllib.loads(config.read_text())
        clients = document["stacks"][stack]["app_clients"]
        clients[new] = clients.pop(old) | {"renamed_from": old}
        renamed = write_config(config.with_name("renamed.toml"), document)
        cli_run("synth", "--config", str(renamed), "--stack", stack, "--out", str(outdir.with_name("renamed.out")))
        moved = TerraformDir.at(outdir.with_name("renamed.out") / "stacks" / stack, cli_config)
        moved.init()
        record.rename_plan = moved.attempt(*PLAN, "-refresh=false")
        record.transcript += moved.transcript
    if rotated is not None:
        cli_run("secret", "put", "--stack", stack, *cli, input=rotated)
        record.rotation_plan = tf.attempt(*PLAN)
        tf.apply()
        record.cognito_secrets_after_rotation = cognito_secrets(boto, pool_id)
    record.destroy_rc = tf.attempt(*DESTROY)[0]
    try:
        record.remaining_providers = [
            p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool_id)["Providers"]
        ]
        record.user_pool_after_destroy = True
    except cognito.exceptions.ResourceNotFoundException:
        record.user_pool_after_destroy = False
    record.transcript += tf.transcript
    return record
