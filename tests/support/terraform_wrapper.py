"""``terraform`` as the test suite runs it (first on PATH, see tests/conftest.py; test infrastructure only).

    terraform_wrapper.py LOG REAL_TERRAFORM AWS_PROVIDER_OR_EMPTY AWS_PROVIDER_VERSION [terraform arguments...]

Two jobs:

* Count. One line per invocation goes to LOG: the subcommand, wall and CPU seconds (Terraform and every process
  it and this wrapper waited for, the AWS provider included), whether the provider was reattached, and where it
  ran. The session prints the totals.
* Start the AWS provider once per invocation instead of three times. A plan starts the 700 MB provider three
  times (schemas, validate walk, plan walk) and hashes its package against the lock file; together about
  1 CPU-second of a plan on this 2-core machine, and the suite runs ~90 of them. For plan/apply/destroy/validate
  the wrapper starts the same provider binary in its debug mode and hands it to Terraform through
  TF_REATTACH_PROVIDERS, the mechanism Terraform's own provider test framework uses. It is still the real
  Terraform talking to the real provider.

What Terraform skips for a reattached provider, the wrapper checks first, and lets Terraform launch the provider
(and fail as it would for a user) when any check fails: the dependency lock file selects the provider at the
version of the binary, the provider is installed in ``.terraform/providers``, and every AWS provider version
constraint of the root module and its installed modules accepts that version. So a run whose `terraform init`
was wrongly skipped still fails here. Not checked: the package hash (`terraform init` verified it on install;
init is never reattached). The user-path test's copy gets no provider binary: it only counts.

The provider dies with this wrapper (PR_SET_PDEATHSIG) and sits in its own session, so a terminal's Ctrl-C
reaches Terraform (which stops gracefully) and not the provider. It is not reattached when any TF_LOG* variable
is set (its log would not reach Terraform's), when AWS_CA_BUNDLE names another bundle than the system's own (a
reattached provider is configured twice in one process, which a CA bundle refuses; this machine's image exports
the system bundle, which the provider reads anyway, so it is started without the variable) or when the caller
already reattaches something. Its stderr is its debug log, which a user's Terraform never shows (it holds request
values, the secret among them): it is kept in a private file, and only a panic's stack trace reaches the test's
output.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: The subcommands that start the AWS provider (init installs it; output, fmt and version never start it).
#: `show` starts it for its schemas alone (`show -json` of a saved plan): reattached, 0.75 CPU-seconds less of
#: its 2.5 on this machine, measured 2026-12-07.
REATTACHED = frozenset({"plan", "apply", "destroy", "validate", "import", "refresh", "show"})
#: The address Terraform knows the provider by (the only provider reattached: hashicorp/external here is the
#: stand-in, a small Python process).
AWS = "registry.terraform.io/hashicorp/aws"
PR_SET_PDEATHSIG = 1
LIBC = ctypes.CDLL(None, use_errno=True)  # loaded before any thread starts; the forked child only calls prctl
START_TIMEOUT = 30.0


def _die_with_parent() -> None:
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


# -- what Terraform would check for a provider it launches itself ----------------------------------------------


def _version(text: str) -> tuple[int, int, int]:
    numbers = [int(part) for part in re.findall(r"\d+", text)[:3]]
    major, minor, patch = numbers + [0] * (3 - len(numbers))
    return major, minor, patch


def satisfies(version: str, constraint: str) -> bool:
    """Terraform's version constraint syntax (=, !=, >, >=, <, <=, ~>; comma = and) for plain x.y.z versions."""
    have = _version(version)
    for part in filter(None, (p.strip() for p in constraint.split(","))):
        match = re.fullmatch(r"(!=|>=|<=|~>|=|>|<)?\s*v?([0-9][0-9.]*)", part)
        if not match:
            return False
        op, text = match.group(1) or "=", match.group(2)
        want, digits = _version(text), len(text.split("."))
        if op == "~>":
            upper = (want[0] + 1, 0, 0) if digits <= 2 else (want[0], want[1] + 1, 0)
            ok = want <= have < upper
        else:
            ok = {
                "=": have == want,
                "!=": have != want,
                ">": have > want,
                ">=": have >= want,
                "<": have < want,
                "<=": have <= want,
            }[op]
        if not ok:
            return False
    return True


def _aws_constraints(folder: Path) -> list[str]:
    """Version constraints on the AWS provider in the .tf and .tf.json files of one module folder."""
    found = []
    for path in sorted(folder.glob("*.tf.json")):
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        blocks = document.get("terraform", {})
        for block in blocks if isinstance(blocks, list) else [blocks]:
            aws = (block.get("required_providers") or {}).get("aws") if isinstance(block, dict) else None
            if isinstance(aws, dict) and aws.get("version"):
                found.append(aws["version"])
    for path in sorted(folder.glob("*.tf")):
        text = path.read_text(errors="replace")
        found += re.findall(r'\baws\s*=\s*\{[^}]*?\bversion\s*=\s*"([^"]*)"', text)
    return found


def aws_provider_ready(workdir: Path, version: str) -> bool:
    lock = workdir / ".terraform.lock.hcl"
    locked = re.search(r'provider "registry\.terraform\.io/hashicorp/aws" \{\s*version\s*=\s*"([^"]+)"', _read(lock))
    if not locked or locked.group(1) != version:
        return False
    if not any((workdir / ".terraform" / "providers" / AWS / version).glob("*")):
        return False
    modules = [workdir]
    try:
        manifest = json.loads((workdir / ".terraform" / "modules" / "modules.json").read_text())
        modules += [workdir / module["Dir"] for module in manifest.get("Modules", []) if module.get("Dir")]
    except (OSError, ValueError):
        pass
    return all(satisfies(version, constraint) for folder in modules for constraint in _aws_constraints(folder))


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


#: Where Go (the provider) looks for the system's roots on Linux when no bundle is named (crypto/x509).
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
)


def is_system_bundle(path: str) -> bool:
    """AWS_CA_BUNDLE names the bundle the provider reads anyway (some images export it for every tool): the
    provider started without it trusts the same roots, so it can be reattached."""
    try:
        target = Path(path).resolve(strict=True)
    except OSError:
        return False
    for candidate in SYSTEM_BUNDLES:
        if Path(candidate).exists():
            return Path(candidate).resolve() == target  # Go reads the first that exists
    return False


# -- the reattached provider -----------------------------------------------------------------------------------


class ReattachedProvider:
    """The AWS provider started in debug mode; ``reattach`` is the TF_REATTACH_PROVIDERS value for it."""

    def __init__(self, binary: str, env: dict[str, str]) -> None:
        # The provider sees the environment Terraform would give it, less a system AWS_CA_BUNDLE (main()). Its
        # stderr is its debug-mode log, which Terraform never shows a user (it logs request values, the client
        # secret among them): it goes to a private file, and only a panic's stack trace reaches the test's output.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - the provider binary from the mirror
            [binary, "-debug"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,  # a terminal's Ctrl-C is Terraform's to handle, not the provider's
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - no thread runs yet
        )
        lines: queue.Queue[str] = queue.Queue()
        # Reads every line the provider prints, so its output never fills the pipe and stalls it.
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.reattach = ""
        deadline = time.monotonic() + START_TIMEOUT
        while not self.reattach and time.monotonic() < deadline and self.process.poll() is None:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if "TF_REATTACH_PROVIDERS=" in line:
                config = json.loads(line.split("TF_REATTACH_PROVIDERS=", 1)[1].strip().strip("'"))
                self.reattach = json.dumps({AWS: config[AWS]})
        if not self.reattach:
            self.stop()
            raise OSError(f"{binary} -debug printed no reattach configuration within {START_TIMEOUT:.0f} s")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)  # debug mode serves until interrupted
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        self.log.close()
        if "panic: " in text:
            sys.stderr.write(text[text.index("panic: ") :])


def main(argv: list[str]) -> int:
    log, real, provider_binary, provider_version, *args = argv
    # Until Terraform runs, an interrupt ends the wrapper quietly (and the provider with it).
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    env = dict(os.environ)
    # The Go collector less eager: a third less CPU per plan for ~130 MB more memory per process (the suite is
    # CPU-bound on 2 cores); a run's own GOGC wins.
    env.setdefault("GOGC", "400")
    command = next((arg for arg in args if not arg.startswith("-")), args[0] if args else "")
    chdir = next((arg.split("=", 1)[1] for arg in args if arg.startswith("-chdir=")), ".")
    start = time.monotonic()
    provider = None
    if (
        provider_binary
        and command in REATTACHED
        and not any(name.startswith("TF_LOG") for name in env)
        and "TF_REATTACH_PROVIDERS" not in env
        and ("AWS_CA_BUNDLE" not in env or is_system_bundle(env["AWS_CA_BUNDLE"]))
        and aws_provider_ready(Path(chdir), provider_version)
    ):
        try:
            # The system's own bundle is what the provider trusts without the variable: the same roots.
            provider_env = {k: v for k, v in env.items() if k != "AWS_CA_BUNDLE"}
            provider = ReattachedProvider(provider_binary, provider_env)
            env["TF_REATTACH_PROVIDERS"] = provider.reattach
        except (OSError, ValueError, KeyError) as exc:  # Terraform then launches it as usual
            print(f"terraform_wrapper: provider not reattached: {exc}", file=sys.stderr)
            provider = None
    terraform = subprocess.Popen([real, *args], env=env, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509

    def forward(number, _frame):
        terraform.send_signal(number)

    signal.signal(signal.SIGTERM, forward)
    # On a terminal, Ctrl-C reaches the whole foreground process group, Terraform included: forwarding it would
    # be a second interrupt ("Two interrupts received. Exiting immediately"). Without one, forward it.
    signal.signal(signal.SIGINT, signal.SIG_IGN if sys.stdin.isatty() else forward)
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
    if code < 0:  # Terraform died of a signal: so does the wrapper, for the caller to see the same
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
