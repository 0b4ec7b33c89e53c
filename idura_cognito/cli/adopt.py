"""``idura-cognito adopt``: take over a login built by hand without replacing or silently changing anything.

Given the pool id, it finds the pool's domain, the OIDC identity providers pointing at the stack's Idura domain
and client id, and the app clients that offer them (or only the one named with --app-client-name), and compares
every setting the product's resources manage with the config (idura_cognito/adopt.py):

- a setting the config does not state is written into the config with its current value (self sign-up, MFA,
  token lifetimes and units, auth flows, the managed login version, scopes and attribute mapping, ...);
- a setting that cannot be kept is refused, one line each, and nothing is written: one that cannot change after
  creation and differs from the config, or one the product does not manage but would reset;
- everything the first plan will change is printed ("will change app client ...: callback URLs ... (from the
  config)"): only values the config states and the product's tags.

It escrows the client secret Cognito holds (never printing it; in managed mode with Idura's id of it only when
Idura accepts it), writes the settings and ``[stacks.<env>.adopt]`` into the config (--write-config; without it
they are printed), and with ``--hcl DIR`` renders DIR with its imports. The first plan imports the resources.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import escrow
from ..adopt import AdoptError, adopt_table, decide, discover
from ..aws import aws_client, describe_aws_error
from ..config import ConfigError, compat, parse_config
from ..config.toml_reader import merge, read_document
from ..errors import CommandError
from . import options


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "adopt",
        help="take over a hand-built Cognito + Idura login: its settings into the config, imports, the secret",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_config(parser)
    options.add_stack(parser, required=True)
    parser.add_argument("--user-pool-id", required=True, metavar="ID", help="the pool built by hand")
    parser.add_argument(
        "--app-client-name", metavar="NAME", help="only this app client (default: every one that offers Idura)"
    )
    parser.add_argument(
        "--write-config", action="store_true", help="write the settings and the adopt table into the config file"
    )
    parser.add_argument("--hcl", metavar="DIR", help="also render DIR (with its imports.tf) for plain Terraform")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config, stack = options.load_stack(args)
    if stack.adopt.any:
        raise CommandError(f"stacks.{stack.name}.adopt is set already: remove it to adopt again")
    source = Path(config.source)
    text = source.read_text(encoding="utf-8")
    cognito = aws_client("cognito-idp", stack.aws)
    try:
        found = discover(cognito, stack, args.user_pool_id, args.app_client_name)
        decision = decide(stack, found, explicit_keys(text, stack.name, config.source), source.name)
    except AdoptError as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - botocore: one line
        raise CommandError(f"cannot read pool {args.user_pool_id}: {describe_aws_error(exc)}") from None
    if decision.refuse:
        print(f"Cannot adopt pool {found.user_pool_id} as it is; nothing was written:", file=sys.stderr)
        for line in decision.refuse:
            print(f"  {line}", file=sys.stderr)
        return 1
    secret = found.secret
    if secret is None:
        raise CommandError(
            "the identity providers hold different (or no) client secrets: fix them in the console first"
        )
    updated = with_settings(text, stack.name, decision.write, adopt_table(stack, found))
    try:
        adopted_config = parse_config(updated, config.source)
    except ConfigError as exc:
        raise CommandError(f"what exists does not fit the config's rules: {exc}") from None
    adopted = adopted_config.stack(stack.name)
    secret_id = _proven_secret_id(adopted, secret)
    try:
        written = escrow.put_secret(aws_client("secretsmanager", stack.aws), stack, secret, secret_id=secret_id)
    except Exception as exc:  # noqa: BLE001
        raise CommandError(f"cannot write the escrow {stack.escrow_name}: {describe_aws_error(exc)}") from None
    print(f"escrowed the secret Cognito holds in {written.name} (digest {escrow.digest(secret)})", file=sys.stderr)
    if decision.write:
        print(f"Written into [stacks.{stack.name}] (what exists, so the first plan keeps it):", file=sys.stderr)
        for key, value in decision.write.items():
            print(f"  {key.replace('[]', '').replace('{}', '')} = {_toml(value)}", file=sys.stderr)
    if args.write_config:
        source.write_text(updated, encoding="utf-8")
        print(f"updated {source}: the settings above and [stacks.{stack.name}.adopt]", file=sys.stderr)
    else:
        print(f"Write this into {config.source} (or run again with --write-config):\n")
        print(_snippet(updated, text))
    for line in decision.changes or ["nothing else changes: the first plan imports and keeps every setting"]:
        print(line, file=sys.stderr)
    if args.hcl:
        from ..hcl.render import render

        render(adopted, Path(args.hcl), config.source)
        print(f"rendered {args.hcl} with imports.tf", file=sys.stderr)
    print(
        f"next: idura-cognito plan --stack {stack.name}  (imports; the changes above and nothing else)", file=sys.stderr
    )
    return 0


def explicit_keys(text: str, stack: str, source: str) -> set[str]:
    """The TOML paths the config states for ``stack`` (its own table or [defaults]): ``user_pool.mfa``,
    ``app_clients.web.callback_urls``, and every table on the way."""
    document = read_document(text, source)
    warnings: list[str] = []
    defaults = compat.upgrade_table(document.get("defaults", {}), "defaults", source, warnings)
    own = compat.upgrade_table(document.get("stacks", {}).get(stack, {}), f"stacks.{stack}", source, warnings)
    merged, _ = merge(defaults, own)
    found: set[str] = set()

    def walk(node: Any, prefix: str) -> None:
        for name, value in node.items():
            found.add(prefix + name)
            if isinstance(value, dict):
                walk(value, f"{prefix}{name}.")

    walk(merged, "")
    return found


def with_settings(text: str, stack: str, settings: dict[str, Any], adopt: dict[str, Any]) -> str:
    """``text`` with ``settings`` (field key -> value) and the adopt table written into [stacks.<stack>], comments
    and layout kept (tomlkit)."""
    import tomlkit

    document = tomlkit.parse(text)
    stacks = document.setdefault("stacks", tomlkit.table(is_super_table=True))
    target = stacks.setdefault(stack, tomlkit.table())
    for key, value in settings.items():
        parts = key.removesuffix("[]").removesuffix("{}").split(".")
        node = target
        for part in parts[:-1]:
            if part not in node:
                node[part] = tomlkit.table()
            node = node[part]
        node[parts[-1]] = _plain(value)
    adopt_table = tomlkit.table()
    for key, value in adopt.items():
        adopt_table[key] = value
    target["adopt"] = adopt_table
    return tomlkit.dumps(document)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        table = __import__("tomlkit").inline_table()
        table.update(value)
        return table
    return value


def _toml(value: Any) -> str:
    import tomlkit

    return tomlkit.item(_plain(value)).as_string()


def _snippet(updated: str, original: str) -> str:
    """The stack's tables as they will read (what to paste)."""
    import difflib

    added = [
        line[1:]
        for line in difflib.unified_diff(original.splitlines(), updated.splitlines(), lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]
    return "\n".join(added)


def _proven_secret_id(stack, secret: str) -> str | None:
    """Managed mode: Idura's id of the current secret, but only when Idura accepts the secret Cognito holds and
    the id did not change while it was checked (escrow.prove). Otherwise no id: the next deploy issues a new one."""
    if not stack.idura.managed:
        return None
    from idura_verify.program.management import ManagementClient, ManagementError

    try:
        management = ManagementClient.from_environment()
        try:
            proof = escrow.prove(stack, secret, management)
        finally:
            management.close()
    except ManagementError as exc:
        print(
            f"warning: Idura's id of the secret is not recorded ({type(exc).__name__}): the next deploy issues a "
            "new secret",
            file=sys.stderr,
        )
        return None
    if proof.secret_id is None:
        why = proof.why_no_id or "Idura does not accept the secret Cognito holds"
        print(f"warning: {why}: the next deploy issues a new secret", file=sys.stderr)
    return proof.secret_id
