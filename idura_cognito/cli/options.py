"""Flags shared by every command, and loading the config the way every command does."""

from __future__ import annotations

import argparse
import sys

from ..config import ProjectConfig, StackConfig, load_config


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $IDURA_COGNITO_CONFIG, else ./idura-cognito.toml)",
    )


def add_stack(parser: argparse.ArgumentParser, *, required: bool, many: bool = False) -> None:
    if many:
        parser.add_argument("--stack", action="append", metavar="ENV", help="environment (repeatable; default: all)")
    else:
        parser.add_argument("--stack", required=required, metavar="ENV", help="environment name from the config")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="print only errors")


def load(args: argparse.Namespace) -> ProjectConfig:
    """Load and validate the whole config; its warnings (e.g. an undocumented acr value) go to stderr."""
    config = load_config(args.config)
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return config


def load_stack(args: argparse.Namespace) -> tuple[ProjectConfig, StackConfig]:
    config = load(args)
    return config, config.stack(args.stack)


def deploy_command(args, stack) -> str:
    """The deploy command for the rendering this command was pointed at (a next-step hint)."""
    if getattr(args, "hcl", None):
        return f"idura-cognito deploy --stack {stack.name} --hcl {args.hcl}"
    if getattr(args, "stack_dir", None):
        return f"idura-cognito deploy --stack {stack.name} --stack-dir {args.stack_dir}"
    return f"idura-cognito deploy --stack {stack.name}"
