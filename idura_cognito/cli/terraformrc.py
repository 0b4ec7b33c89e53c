"""``idura-cognito terraformrc``: write the project's Terraform CLI config and print its path."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..terraform import environment as terraform_environment


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "terraformrc",
        help="write the Terraform CLI config (provider mirror if any) and print its path",
        description="Write a Terraform CLI config that installs providers from this machine's filesystem "
        f"mirror when there is one (or from ${terraform_environment.MIRROR_ENV}), else from the registry. Use it as "
        "TF_CLI_CONFIG_FILE.",
    )
    parser.add_argument(
        "--out",
        metavar="PATH",
        default=str(terraform_environment.DEFAULT_CLI_CONFIG),
        help=f"where to write it (default: {terraform_environment.DEFAULT_CLI_CONFIG})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print(terraform_environment.write_cli_config(Path(args.out)))
    return 0
