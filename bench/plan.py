""" "Edit nothing, plan again": `idura-cognito plan` of the deployed demo stack next to a raw `terraform plan` of
the same synthesized stack, against moto and the Idura emulator.

The product's plan runs the whole command a user runs: config check, the synth (served from the cache), init
(skipped: nothing changed), `terraform plan` saved to a file, the summary. The raw plan is Terraform alone in
the synthesized folder, with the same CLI config and environment.
"""

from __future__ import annotations

import copy

from measure import median, median_cpu, series
from synth import write_config

from idura_cognito.local.external_stand_in import install_stand_in
from idura_cognito.terraform import environment as terraform_environment


def _demo_project(bench, moto, idura, name: str, *, endpoint_in_config: bool):
    """The demo stack deployed to moto + the emulator from ``bench.work/name``: (project folder, environment).

    With ``endpoint_in_config`` moto is the config's ``aws.endpoint_url`` (the provider's ``endpoints`` block);
    without, the environment's ``AWS_ENDPOINT_URL`` (which the AWS provider and boto3 both read)."""
    project = bench.work / name
    demo = copy.deepcopy(bench.base["stacks"]["demo"])
    if not endpoint_in_config:  # a second deployment on the same moto and emulator: its own names
        demo["idura"]["client_id"] += ":env"
        demo["user_pool"]["name"] += "-env"
        demo["domain"]["prefix"] += "-env"
    config = {"defaults": dict(bench.base["defaults"]), "stacks": {"demo": demo}}
    config["defaults"]["aws"] = {k: v for k, v in config["defaults"]["aws"].items() if k != "endpoint_url"}
    if endpoint_in_config:
        config["defaults"]["aws"]["endpoint_url"] = moto.url
    config["defaults"]["idura"] = dict(config["defaults"]["idura"], domain=idura.domain)
    write_config(project, config)
    # This machine's mirror lacks hashicorp/external: the stand-in for offline machines, as the tests use it.
    cli_config = terraform_environment.write_cli_config(
        project / "cli.tfrc", extra_mirrors=[install_stand_in(bench.work / "stand-in-mirror")]
    )
    env = {
        **bench.env,
        **idura.environment(),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_ENDPOINT_URL", None)
    if not endpoint_in_config:
        env["AWS_ENDPOINT_URL"] = moto.url
    bench.run([bench.cli, "deploy", "--stack", "demo", "--auto-approve", "--quiet"], project, env=env)
    return project, env


def _raw_plans(bench, project, env, runs: int):
    stack = project / "cdktf.out" / "stacks" / "demo"
    return series(runs, lambda: bench.run(["terraform", "plan", "-input=false", "-detailed-exitcode"], stack, env=env))


def plan_again(bench, moto, idura, runs: int) -> tuple[list[str], list[str]]:
    """(SUMMARY lines with a target, FINDING lines without one)."""
    project, env = _demo_project(bench, moto, idura, "plan", endpoint_in_config=True)
    product = series(
        runs,
        lambda: bench.run([bench.cli, "plan", "--stack", "demo", "--quiet", "--detailed-exitcode"], project, env=env),
    )
    p = median(product)
    bench.row("plan again (nothing changed), `idura-cognito plan`", p, "synth from cache, init skipped, plan, summary")
    raw = _raw_plans(bench, project, env, runs)
    r = median(raw)
    bench.row("plan again (nothing changed), raw `terraform plan`", r, "the synthesized stack, same environment")
    # The same stack reaching moto through AWS_ENDPOINT_URL: what the provider's `endpoints` block costs.
    project, env = _demo_project(bench, moto, idura, "plan-env", endpoint_in_config=False)
    by_env = _raw_plans(bench, project, env, runs)
    block_cpu, env_cpu = median_cpu(raw), median_cpu(by_env)
    bench.row("raw `terraform plan`, moto through AWS_ENDPOINT_URL (no endpoints block)", median(by_env), "")
    return [
        f"SUMMARY plan-again: idura-cognito plan {p:.2f} s, raw terraform plan {r:.2f} s, overhead {p / r:.2f}x "
        f"(target <= 1.15x): {bench.verdict(p / r <= 1.15)}"
    ], [
        f"FINDING plan-endpoints: raw terraform plan with aws.endpoint_url (the provider's endpoints block) "
        f"{r:.2f} s, {block_cpu:.2f} CPU-s; with AWS_ENDPOINT_URL instead {median(by_env):.2f} s, "
        f"{env_cpu:.2f} CPU-s: the block costs {block_cpu - env_cpu:.2f} CPU-s per plan"
    ]
