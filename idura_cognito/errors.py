"""Errors a command reports as one line, with the exit code the CLI documents."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # a check failed or an operation failed
EXIT_USAGE = 2  # bad usage or bad configuration
EXIT_INTERRUPTED = 130  # interrupted (SIGINT), as Terraform and shells report it


class CommandError(Exception):
    """An operation failed for a reason the user can act on; the message says what to do."""

    exit_code = EXIT_FAILURE


class UsageError(CommandError):
    exit_code = EXIT_USAGE
