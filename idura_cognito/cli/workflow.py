"""What plan, deploy and destroy share: the root to run in, the runner, a reviewed plan, the confirmation.

A root is the synthesized CDKTF stack (``cdktf.out/stacks/<env>``, synthesized first), a rendered HCL folder
(``--hcl DIR``) or a stack a team's own CDKTF app synthesized (``--stack-dir DIR``, run as it is). Everything is
relative to the folder the command runs in; nothing is read from or written to the install location.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from idura_verify.program import environment

from .. import escrow
from ..aws import aws_client, describe_aws_error
from ..config import ProjectConfig, StackConfig
from ..encoding import template_literal
from ..errors import CommandError, UsageError
from ..terraform import environment as terraform_environment
from ..terraform import orphans
from ..terraform.plan_summary import PlanSummary, summarize
from ..terraform.runner import Interrupted, Terraform, TimedOut
from .progress import Progress

PLANS_DIR = Path(".idura-cognito") / "plans"


def add_root_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--hcl", metavar="DIR", help="a rendered HCL root (`idura-cognito hcl`) instead of CDKTF")
    where.add_argument(
        "--stack-dir",
        metavar="DIR",
        help="the stack folder your own CDKTF app synthesized (cdktf.out/stacks/<id>), run as it is",
    )
    parser.add_argument("--out", metavar="DIR", help="synth output folder (default: $CDKTF_OUTDIR or ./cdktf.out)")
    parser.add_argument("--no-cache", action="store_true", help="synthesize even when nothing changed")


def cli_config() -> Path:
    """An existing TF_CLI_CONFIG_FILE is the user's choice; otherwise the project's own (mirror-aware) one."""
    given = os.environ.get("TF_CLI_CONFIG_FILE")
    if given and Path(given).is_file():
        return Path(given).resolve()
    return terraform_environment.write_cli_config(terraform_environment.DEFAULT_CLI_CONFIG)


@dataclass
class Root:
    stack: StackConfig
    path: Path
    terraform: Terraform  # read-only: never holds the allow-changes switch or a grant (see with_env())
    hcl: bool = False

    def with_env(self, extra: dict[str, str]) -> Terraform:
        """The same runner with ``extra`` in its environment (deploy's grant, for its one allowed plan)."""
        return Terraform(
            self.terraform.workdir, self.terraform.env | extra, self.terraform.stream, self.terraform.transcript
        )


def require_management_environment(stack: StackConfig) -> None:
    """Managed mode needs the management API's URL and token in every run, plans included: say so before
    anything runs (a remote HCP Terraform run takes them from its workspace instead)."""
    if not stack.idura.managed or stack.backend.type == "cloud":
        return
    missing = [
        name
        for name in (environment.MANAGEMENT_URL, environment.MANAGEMENT_TOKEN, environment.MANAGEMENT_TENANT)
        if not os.environ.get(name, "").strip()
    ]
    if missing:
        raise UsageError(
            f'stack {stack.name} is managed (idura.secret_source = "managed"): set {" and ".join(missing)} (the '
            "Idura management API, its token and your tenant id) in this environment first; nothing was planned or "
            "created"
        )


def prepare(
    args: argparse.Namespace, config: ProjectConfig, stack: StackConfig, progress: Progress, planning: bool = True
) -> Root:
    """Synthesize (or take the rendered folder), init. The runner never passes the allow-changes switch on:
    every plan the product shows is a read, whatever the caller's environment holds. ``planning`` false: only
    the state is read (no management credentials needed)."""
    if planning:
        require_management_environment(stack)
    if args.hcl:
        path = Path(args.hcl)
        if not (path / "main.tf").is_file():
            raise UsageError(
                f"--hcl {args.hcl}: no main.tf there; render it with `idura-cognito hcl --stack "
                f"{stack.name} --out {args.hcl}`"
            )
    elif getattr(args, "stack_dir", None):
        path = Path(args.stack_dir)
        check_synthesized_stack(path, stack)
    else:
        from ..stacks.synth_cache import synth

        with progress.step(f"synthesizing stack {stack.name}"):
            outdir, _ = synth(config, args.out, [stack.name], use_cache=not args.no_cache)
        path = outdir / "stacks" / stack.name
    terraform = Terraform.for_root(path, cli_config(), stream=sys.stdout)
    if args.hcl:
        _refuse_a_state_left_beside_the_config(stack, path, terraform, Path(config.source).resolve().parent)
    for switch in (environment.ALLOW_CHANGES, environment.DEPLOY_GRANT):
        terraform.env.pop(switch, None)  # a shown plan is a read, whatever the caller's environment holds
    with progress.step("terraform init"):
        terraform.init()
    return Root(stack, path, terraform, hcl=bool(args.hcl))


def _refuse_a_state_left_beside_the_config(stack: StackConfig, root: Path, terraform, project_dir: Path) -> None:
    """A root that keeps its state in its folder, while the stack's state is beside the config: its plan would
    create everything again. Refused before anything runs, naming the move (terraform/root_state.py)."""
    from ..definitions.backend import ROOT_STATE
    from ..terraform import root_state

    state, _ = terraform.local_state()
    if state.resolve() == (root / ROOT_STATE).resolve() and root_state.left_beside_config(stack, root, project_dir):
        raise CommandError(root_state.move_hint(stack, root, project_dir))


def check_synthesized_stack(path: Path, stack: StackConfig) -> None:
    """``--stack-dir``: a folder with an idura-cognito stack synthesized from this environment (its escrow name,
    which names the Idura domain and client id, is the one the config gives)."""
    synthesized = path / "cdk.tf.json"
    try:
        document = json.loads(synthesized.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"--stack-dir {path}: no cdk.tf.json there; synthesize your app first (`cdktf synth` or `python "
            "main.py`) and pass cdktf.out/stacks/<id>"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"--stack-dir {path}: cdk.tf.json cannot be read ({exc.__class__.__name__})") from None
    escrow_name = (document.get("locals") or {}).get("escrow_name") if isinstance(document, dict) else None
    if escrow_name is None:
        raise UsageError(f"--stack-dir {path}: not an idura-cognito stack (its cdk.tf.json has no escrow_name)")
    if escrow_name != template_literal(stack.escrow_name):
        raise UsageError(
            f"--stack-dir {path}: synthesized from another environment than --stack {stack.name} (its escrow is "
            f"{escrow_name}, this stack's {stack.escrow_name}); pass the --stack it was built from"
        )


@dataclass(frozen=True)
class DeployedIds:
    """What the stack's state says it deployed (its outputs); empty when nothing is deployed (or unreadable)."""

    user_pool_id: str | None = None
    #: Client key -> the app client's id (the ``app_clients`` output).
    app_client_ids: dict[str, str] | None = None
    note: str = ""


def deployed_ids(args: argparse.Namespace, config: ProjectConfig, stack: StackConfig) -> DeployedIds:
    """The ids in the stack's state, so checks look at what this stack deployed and not at a namesake."""
    try:
        root = prepare(args, config, stack, Progress(quiet=True), planning=False)
        root.terraform.stream = None
        outputs = root.terraform.outputs()
    except CommandError as exc:
        return DeployedIds(note=f"the stack's state could not be read ({str(exc).splitlines()[0]})")
    if "user_pool_id" not in outputs:
        return DeployedIds(note="the stack's state holds no outputs (not deployed yet?)")
    clients = outputs.get("app_clients")
    ids = {key: c["id"] for key, c in clients.items()} if isinstance(clients, dict) else None
    return DeployedIds(outputs.get("user_pool_id"), ids)  # type: ignore[arg-type]


def refuse_scheduled_deletion(stack: StackConfig) -> None:
    """An escrow scheduled for deletion is not missing: say so, and that nothing will rotate because of it.

    Called only when a plan would create the escrow (or finds none), so a steady-state plan makes no AWS call.
    """
    try:
        state = escrow.status(aws_client("secretsmanager", stack.aws), stack)
    except Exception:  # noqa: BLE001 - no credentials or network here: Terraform reports that itself
        return
    if state.scheduled_deletion is not None:
        raise CommandError(
            f"the escrow {state.name} is scheduled for deletion (since {state.scheduled_deletion:%Y-%m-%d}); it is "
            "not missing, and nothing is rotated because of it: restore it with "
            f"`{escrow.restore_command(state.name)}` and run again"
        )


@dataclass
class SavedPlan:
    code: int  # 0 no changes, 2 changes (Terraform's -detailed-exitcode)
    file: Path  # mode 0600, deleted when the `with` ends: it holds the secret
    summary: PlanSummary  # read from `document`, never from Terraform's text
    document: dict  # `terraform show -json` of the file: it holds the secret, never print it


@contextlib.contextmanager
def saved_plan(
    root: Root, *extra: str, grant: dict[str, str] | None = None, stream: bool = True
) -> Iterator[SavedPlan]:
    """A plan saved to a file (streamed unless ``stream`` is false) and read back as JSON; read-only unless a
    ``grant`` (deploy's, for the one plan after approval) is given.

    The file is deleted afterwards, and any plan file a killed run left behind is deleted first.
    """
    plans = root.path / PLANS_DIR
    plans.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale_plans(plans)
    plan_file = (plans / f"{root.stack.name}-{os.getpid()}-{'granted' if grant else 'reviewed'}.tfplan").resolve()
    runner = root.with_env(grant) if grant else root.terraform
    try:
        try:
            code, _ = runner.plan(*extra, out=plan_file, stream=stream)
        except (Interrupted, TimedOut):
            raise
        except CommandError:
            refuse_scheduled_deletion(root.stack)  # "no escrow" may be a deleted one: say which
            raise
        document = json.loads(root.terraform.show_json(plan_file))
        summary = summarize(document)
        if summary.creates_escrow:
            refuse_scheduled_deletion(root.stack)
        yield SavedPlan(code, plan_file, summary, document)
    finally:
        plan_file.unlink(missing_ok=True)


def _remove_stale_plans(plans: Path) -> None:
    """Plan files of runs that no longer exist (killed before they could delete them)."""
    for file in plans.glob("*.tfplan"):
        parts = file.stem.split("-")
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        if pid is None or not _alive(pid):
            file.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_orphans(root: Root, summary: PlanSummary) -> list[orphans.Orphan]:
    """What the plan would create that exists outside the state (nothing created: no AWS call at all)."""
    if not summary.created:
        return []
    try:
        state = orphans.parse_state(root.terraform.run("state", "pull").stdout)
        return orphans.find(root.stack, summary.created, root.hcl, state)
    except Exception as exc:  # noqa: BLE001 - the plan reached AWS itself; this extra look is best effort
        print(f"warning: could not look for resources outside the state: {describe_aws_error(exc)}", file=sys.stderr)
        return []


def report(summary: PlanSummary) -> None:
    for line in summary.warnings():
        print(line, file=sys.stderr)
    print(f"Summary: {summary.line()}", file=sys.stderr)


def confirm(what: str, stack: StackConfig, auto_approve: bool, question: str | None = None) -> None:
    if auto_approve:
        return
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(
            f"{what} asks before changing anything: run it on a terminal, or pass --auto-approve in "
            "automation after reviewing the plan above"
        )
    asked = question or f"{what.capitalize()} stack {stack.name} as planned above?"
    answer = input(f"{asked} Only 'yes' goes on: ")
    if answer.strip() != "yes":
        raise UsageError("not confirmed; nothing was changed")
