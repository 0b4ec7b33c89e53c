"""Flags shared by every command, so they read the same everywhere."""

from __future__ import annotations

import argparse


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="config file (default: $IDURA_COGNITO_CONFIG, else ./idura-cognito.toml)",
    )


def add_stack(parser: argparse.ArgumentParser, *, required: bool, many: bool = False) -> None:
    if many:
        parser.add_argument(
            "--stack", action="append", metavar="ENV", help="environment (repeatable; default: all)"
        )
    else:
        parser.add_argument("--stack", required=required, metavar="ENV", help="environment name from the config")
