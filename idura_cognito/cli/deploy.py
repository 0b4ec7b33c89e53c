"""``idura-cognito deploy`` / ``destroy``: plan, show, ask, apply, with the project's Terraform settings.

deploy, top to bottom in :func:`deploy`:

1. the review plan: a read, whatever the environment holds (no allow switch, no grant reaches it), saved and
   read back as JSON; its summary names every replacement of a login resource and what Idura would need;
2. resources the plan would create that exist outside the state (a run cut off mid-apply): this stack's own
   are imported and the review starts again; anything else stops with its import line;
3. the approval: a yes on a terminal, or ``--auto-approve`` (which refuses a plan that replaces or destroys a
   login resource unless ``--allow-replacement`` says it is intended);
4. Idura, when the review found work there: one more plan, whose program may carry out exactly the changes the
   review announced, for exactly the inputs it announced them for (a one-time grant, terraform/grant.py); that
   plan is compared with the reviewed one, resource by resource, and applied only when it differs in nothing but
   the values that come from Idura's answer (the secret); any other difference is shown and asked about again
   (refused with ``--auto-approve``);
5. the apply of the plan that was approved.

Every state a failed or interrupted deploy leaves (a pool without an application, an empty escrow, an apply
stopped half-way) is one deploy reviews and finishes: run it again. An interrupt (Ctrl-C) reaches Terraform
once, so it stops gracefully and saves its state; the command then exits 130.

destroy: the same for ``terraform destroy``. Terraform cannot delete what a data source made: the Idura
application stays (with its live secret) unless ``--purge-idura`` deletes it; the prompt says which.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..aws import aws_client, describe_aws_error
from ..config.model import StackConfig
from ..definitions import linking
from ..errors import CommandError, UsageError
from ..terraform import grant, plan_review
from ..terraform.runner import Interrupted
from . import options, workflow
from .progress import Progress


def register(commands: argparse._SubParsersAction) -> None:
    for verb in ("deploy", "destroy"):
        parser = commands.add_parser(
            verb,
            help=f"{verb} one environment: show the plan, ask, apply",
            description=__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        options.add_config(parser)
        options.add_stack(parser, required=True)
        workflow.add_root_options(parser)
        parser.add_argument("--auto-approve", action="store_true", help="apply without asking (automation)")
        parser.add_argument(
            "--allow-replacement",
            action="store_true",
            help="with --auto-approve: apply a plan that replaces or destroys the pool, its domain, an identity "
            "provider or an app client (an outage of the login)",
        )
        options.add_quiet(parser)
        if verb == "destroy":
            parser.add_argument(
                "--purge-idura",
                action="store_true",
                help="also delete what Terraform cannot: the Idura application (managed) and the escrow",
            )
        parser.set_defaults(handler=run, verb=verb)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    progress = Progress(quiet=args.quiet)
    root = workflow.prepare(args, config, stack, progress)
    try:
        if args.verb == "destroy":
            return _destroy(args, root, stack, progress)
        return deploy(root, progress, auto_approve=args.auto_approve, allow_replacement=args.allow_replacement)
    except Interrupted as exc:
        raise Interrupted(
            f"{exc}. Nothing is lost: run `idura-cognito {args.verb} --stack {stack.name}` again; it reviews "
            "what was done and finishes"
        ) from None


def deploy(root: workflow.Root, progress: Progress, *, auto_approve: bool, allow_replacement: bool = False) -> int:
    """The deploy sequence (the module docstring's five steps), for the CLI and the demo."""
    stack = root.stack
    for attempt in range(3):  # review again after taking orphans back (a pool's first, then what lives in it)
        with workflow.saved_plan(root) as reviewed:  # 1. the review plan: a read
            workflow.report(reviewed.summary)
            if _take_back_orphans(root, reviewed, progress, may_import=attempt < 2):  # 2. orphans
                continue
            if reviewed.code == 0 and not reviewed.summary.idura_work:
                print("Nothing to change.")
                return 0
            _refuse_what_cannot_be_reviewed(reviewed.summary)
            _refuse_unintended_replacement(reviewed.summary, auto_approve, allow_replacement)
            workflow.confirm("deploy", stack, auto_approve)  # 3. the approval
            work = reviewed.summary.idura
            if work is None or not work.intent:
                _apply(root, reviewed)  # 5. the apply
                return 0
            progress.info("==> planning again, the program allowed exactly the Idura changes reviewed above")
            with grant.for_one_run(work) as one_run, workflow.saved_plan(root, grant=one_run, stream=False) as applying:
                _compare(root, stack, reviewed, applying, auto_approve)  # 4. Idura, under a one-time grant
                _apply(root, applying)  # 5. the apply
            return 0
    raise AssertionError("unreachable: the last review takes nothing back")


def _apply(root: workflow.Root, plan: workflow.SavedPlan) -> None:
    """Apply the saved plan. The linking function's package is built first where the function's ``filename``
    points: its build step runs only when the code changes, and an apply that creates the function again (deleted
    outside Terraform, or state moved to a new machine) would otherwise find no file (docs/linking.md)."""
    if root.stack.links_federated_users:
        linking.write_package(root.terraform.workdir)
    root.terraform.apply(str(plan.file), stream=True)


def _take_back_orphans(
    root: workflow.Root, reviewed: workflow.SavedPlan, progress: Progress, *, may_import: bool
) -> bool:
    """This stack's own resources outside the state are imported (True: review again); others stop the deploy."""
    stray = workflow.check_orphans(root, reviewed.summary)
    unsure = [o.line(root.path) for o in stray if not o.certain or not may_import]
    if unsure:
        raise CommandError("the plan would create a second copy of what exists already:\n" + "\n".join(unsure))
    for orphan in stray:
        with progress.step(f"taking back {orphan.what}, created outside the state by a run that was cut off"):
            root.terraform.run("import", "-input=false", orphan.address, orphan.resource_id)
    return bool(stray)


def _refuse_what_cannot_be_reviewed(summary) -> None:
    if summary.idura_deferred:
        raise CommandError(
            "the Idura program's inputs are known only during the apply (a value it reads depends on a resource "
            "being changed), so what it would change at Idura cannot be reviewed; nothing was applied. Apply the "
            "other changes first (`terraform apply -target=...`), then deploy again"
        )


def _refuse_unintended_replacement(summary, auto_approve: bool, allow_replacement: bool) -> None:
    """A replaced login resource is an outage: said loudly (the summary did), and never applied unattended unless
    the replacement is meant."""
    if summary.replacements and auto_approve and not allow_replacement:
        raise UsageError(
            f"the plan replaces or destroys {len(summary.replacements)} login resource(s) (listed above); "
            "--auto-approve applies that only with --allow-replacement; nothing was changed"
        )


def _compare(
    root: workflow.Root,
    stack: StackConfig,
    reviewed: workflow.SavedPlan,
    applying: workflow.SavedPlan,
    auto_approve: bool,
) -> None:
    """The plan to apply is the reviewed one but for Idura's answer, or the difference is shown and asked about."""
    found = plan_review.differences(reviewed.document, applying.document)
    if not found:
        return
    print("The plan to apply differs from the one reviewed above:", file=sys.stderr)
    for line in found:
        print(f"  {line}", file=sys.stderr)
    # Idura has changed already: a secret issued now replaced the one Cognito holds.
    broken = (
        "the changes at Idura were made; if a new client secret was issued, Cognito still holds the old "
        "one and logins fail until a deploy completes"
    )
    if auto_approve:
        raise CommandError(
            f"nothing was applied: something changed between the review and the apply (listed above); {broken}. "
            "Run deploy again to review the new plan"
        )
    print(f"Note: {broken}; answering no leaves it so.", file=sys.stderr)
    workflow.confirm(
        "deploy",
        stack,
        auto_approve=False,
        question=f"Apply this plan, with the differences listed above, to stack {stack.name}?",
    )


def _destroy(args: argparse.Namespace, root: workflow.Root, stack: StackConfig, progress: Progress) -> int:
    with workflow.saved_plan(root, "-destroy") as reviewed:
        workflow.report(reviewed.summary)
        for line in idura_consequences(stack, args.purge_idura):
            print(line, file=sys.stderr)
        if reviewed.code == 0 and not args.purge_idura:
            print("Nothing to destroy.")
            return 0
        workflow.confirm("destroy", stack, args.auto_approve)
        if reviewed.code != 0:
            root.terraform.apply(str(reviewed.file), stream=True)
            _remove_backup(root)
    if args.purge_idura:
        _purge(stack, progress)
    return 0


def _remove_backup(root: workflow.Root) -> None:
    """Terraform's ``.backup`` of a local state is the state before the destroy: every resource, with the client
    secret. Nothing is left to recover from it once the destroy is through, so it goes (the emptied state stays)."""
    if root.stack.backend.type != "local" or os.environ.get("TF_WORKSPACE"):
        return  # a remote state keeps no local backup; another workspace's backup is not this one's
    from ..terraform.root_state import has_resources

    state, backup = root.terraform.local_state()
    if backup.is_file() and state.is_file() and not has_resources(state):
        backup.unlink()
        print(f"Removed {backup} (the state before the destroy, which held the client secret).", file=sys.stderr)


def idura_consequences(stack: StackConfig, purge: bool) -> list[str]:
    """What a destroy does, and does not do, outside Terraform: said before the question."""
    if stack.idura.managed and not purge:
        return [
            f"Idura: the application {stack.idura.client_id} on {stack.idura.domain} stays, with its live client "
            f"secret and the redirect URL {stack.redirect_url}, which will lead nowhere once the domain is gone. "
            f"Remove it with `idura-cognito destroy --stack {stack.name} --purge-idura` (or in Idura's dashboard)."
        ]
    if stack.idura.managed:
        return [
            f"Idura: --purge-idura deletes the application {stack.idura.client_id} on {stack.idura.domain} "
            "(its secret stops working at once); Terraform deletes the escrow."
        ]
    if purge:
        return [
            f"--purge-idura deletes the escrow {stack.escrow_name} at once (no recovery window). The Idura "
            f"application {stack.idura.client_id} was registered by hand and stays at Idura: remove it, or its "
            f"redirect URL {stack.redirect_url}, in Idura's dashboard."
        ]
    return [
        f"Idura: the hand-registered application {stack.idura.client_id} stays at Idura, and the escrow "
        f"{stack.escrow_name} stays in Secrets Manager (the next deploy reuses it); --purge-idura deletes the "
        "escrow too."
    ]


def _purge(stack: StackConfig, progress: Progress) -> None:
    if stack.idura.managed:
        from idura_verify.program.management import ManagementClient, ManagementError

        with progress.step(f"deleting the Idura application {stack.idura.client_id} on {stack.idura.domain}"):
            try:
                client = ManagementClient.from_environment()
                app = client.find(stack.idura.domain, stack.idura.client_id)
                if app is not None:
                    client.delete(stack.idura.domain, app.id)
            except ManagementError as exc:
                raise CommandError(
                    f"the stack is destroyed, but the Idura application was not deleted: {exc}"
                ) from None
    with progress.step(f"deleting the escrow {stack.escrow_name}"):
        secrets = aws_client("secretsmanager", stack.aws)
        try:
            secrets.delete_secret(SecretId=stack.escrow_name, ForceDeleteWithoutRecovery=True)
        except secrets.exceptions.ResourceNotFoundException:
            pass  # managed mode: Terraform already deleted it
        except Exception as exc:  # noqa: BLE001
            raise CommandError(f"the escrow {stack.escrow_name} was not deleted: {describe_aws_error(exc)}") from None
