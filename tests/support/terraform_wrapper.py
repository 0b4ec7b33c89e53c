"""``terraform`` as the test suite runs it (first on PATH, see tests/conftest.py; test infrastructure only).

    terraform_wrapper.py LOG REAL_TERRAFORM AWS_PROVIDER_OR_EMPTY [terraform arguments...]

Two jobs:

* Count. One line per invocation goes to LOG: the subcommand, wall and CPU seconds (Terraform and every process
  it and this wrapper waited for, the AWS provider included), whether the provider was reattached, and where it
  ran. The session prints the totals.
* Start the AWS provider once per invocation instead of three times. A plan starts the 700 MB provider three
  times (schemas, validate walk, plan walk) and hashes its package against the lock file each time it runs;
  together about 1 CPU-second of the ~6 a plan costs on this 2-core machine, and the suite runs ~90 of them.
  For plan/apply/destroy/validate the wrapper starts the same provider binary in its debug mode and hands it to
  Terraform through TF_REATTACH_PROVIDERS, the mechanism Terraform's own provider test framework uses.
  It is still the real Terraform talking to the real provider; what is skipped is Terraform's plugin launching
  and the plan-time re-check of the lock file (`terraform init`, which installs and verifies, never reattaches).

The provider dies with this wrapper (PR_SET_PDEATHSIG), so a killed run leaves no provider behind. It is not
reattached when TF_LOG is set (a reattached provider's log would not reach Terraform's log, and tests that
read logs must see everything) or when the caller already reattaches something.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time

#: The subcommands that start the AWS provider (init installs it; output, fmt and version never start it).
REATTACHED = frozenset({"plan", "apply", "destroy", "validate", "import", "refresh"})
#: The address Terraform knows the provider by (the only provider reattached: hashicorp/external here is the
#: stand-in, a small Python process).
AWS = "registry.terraform.io/hashicorp/aws"
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ReattachedProvider:
    """The AWS provider started in debug mode; ``reattach`` is the TF_REATTACH_PROVIDERS value for it."""

    def __init__(self, binary: str, env: dict[str, str]) -> None:
        # The provider reads AWS_CA_BUNDLE when configured and refuses a second configure in the same process
        # ("unable to add custom RootCAs HTTPClient"); an apply configures it twice (plan walk, apply walk).
        # The tests' AWS is moto over plain HTTP on loopback, so no CA bundle is ever used.
        provider_env = {name: value for name, value in env.items() if name != "AWS_CA_BUNDLE"}
        self.process = subprocess.Popen(  # noqa: S603 - the provider binary from the mirror
            [binary, "-debug"],
            env=provider_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - this wrapper is single-threaded
        )
        self.reattach = ""
        for line in self.process.stdout:
            if "TF_REATTACH_PROVIDERS=" in line:
                config = json.loads(line.split("TF_REATTACH_PROVIDERS=", 1)[1].strip().strip("'"))
                self.reattach = json.dumps({AWS: config[AWS]})
                break
        if not self.reattach:
            self.stop()
            raise OSError(f"{binary} -debug printed no reattach configuration")
        # Whatever it prints later must never fill the pipe and stall it.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # debug mode serves until interrupted
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main(argv: list[str]) -> int:
    log, real, provider_binary, *args = argv
    env = dict(os.environ)
    # The Go collector less eager: a third less CPU per plan for ~130 MB more memory per process (the suite is
    # CPU-bound on 2 cores); a run's own GOGC wins.
    env.setdefault("GOGC", "400")
    command = next((arg for arg in args if not arg.startswith("-")), args[0] if args else "")
    start = time.monotonic()
    provider = None
    if provider_binary and command in REATTACHED and "TF_LOG" not in env and "TF_REATTACH_PROVIDERS" not in env:
        try:
            provider = ReattachedProvider(provider_binary, env)
            env["TF_REATTACH_PROVIDERS"] = provider.reattach
        except (OSError, ValueError, KeyError) as exc:  # Terraform then launches it as usual
            print(f"terraform_wrapper: provider not reattached: {exc}", file=sys.stderr)
            provider = None
    terraform = subprocess.Popen([real, *args], env=env, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509
    for forwarded in (signal.SIGINT, signal.SIGTERM):
        signal.signal(forwarded, lambda number, _frame: terraform.send_signal(number))
    code = terraform.wait()
    if provider is not None:
        provider.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.monotonic() - start
    with open(log, "a") as out:
        out.write(
            f"{command or '-'} {wall:.2f} {usage.ru_utime + usage.ru_stime:.2f} "
            f"{'reattached' if provider else 'launched'} {os.getcwd()}\n"
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
