""" "Edit nothing, plan again": `idura-cognito plan` of the deployed demo stack next to a raw `terraform plan` of
the same synthesized stack, against moto and the Idura emulator.

The product's plan runs the whole command a user runs: config check, the synth (served from the cache), init
(skipped: nothing changed), `terraform plan` saved to a file, the summary. The raw plan is Terraform alone in
the synthesized folder, with the same CLI config and environment.
"""

from __future__ import annotations

from measure import median, series
from synth import write_config

from idura_cognito import toolchain
from idura_cognito.emulators.external_stand_in import install_stand_in


def plan_again(bench, moto, idura, runs: int) -> list[str]:
    project = bench.work / "plan"
    config = {"defaults": dict(bench.base["defaults"]), "stacks": {"demo": bench.base["stacks"]["demo"]}}
    config["defaults"]["aws"] = dict(config["defaults"]["aws"], endpoint_url=moto.url)
    config["defaults"]["idura"] = dict(config["defaults"]["idura"], domain=idura.domain)
    write_config(project, config)
    # This machine's mirror lacks hashicorp/external: the stand-in for offline machines, as the tests use it.
    cli_config = toolchain.write_cli_config(
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
    bench.run([bench.cli, "deploy", "--stack", "demo", "--auto-approve", "--quiet"], project, env=env)
    product = series(
        runs,
        lambda: bench.run([bench.cli, "plan", "--stack", "demo", "--quiet", "--detailed-exitcode"], project, env=env),
    )
    stack = project / "cdktf.out" / "stacks" / "demo"
    raw = series(runs, lambda: bench.run(["terraform", "plan", "-input=false", "-detailed-exitcode"], stack, env=env))
    p, r = median(product), median(raw)
    bench.row("plan again (nothing changed), `idura-cognito plan`", p, "synth from cache, init skipped, plan, summary")
    bench.row("plan again (nothing changed), raw `terraform plan`", r, "the synthesized stack, same environment")
    return [
        f"SUMMARY plan-again: idura-cognito plan {p:.2f} s, raw terraform plan {r:.2f} s, overhead {p / r:.2f}x "
        f"(target <= 1.15x): {bench.verdict(p / r <= 1.15)}"
    ]
