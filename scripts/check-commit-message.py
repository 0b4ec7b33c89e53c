#!/usr/bin/env python3
"""The commit-msg check of .pre-commit-config.yaml: a subject of at most 72 characters, and a blank line between
the subject and the body. Usage: ``check-commit-message.py MESSAGE_FILE`` (what git hands its commit-msg hook).

The hook sees the message before git cleans it up, so it reads it as git will keep it under the default
``--cleanup=strip``: comment lines (``#``) and everything below the ``>8`` scissors line left out, leading blank
lines skipped (git-commit(1), "--cleanup"). ``fixup!``, ``squash!`` and ``amend!`` subjects are counted without
that prefix: ``git rebase --autosquash`` removes them. Standard library only.
"""

from __future__ import annotations

import sys
from pathlib import Path

SUBJECT_LIMIT = 72
SCISSORS = "# ------------------------ >8 ------------------------"
AUTOSQUASH_PREFIXES = ("fixup! ", "squash! ", "amend! ")


def kept_lines(message: str) -> list[str]:
    """The message's lines as git keeps them: no comment lines, nothing below the scissors, no leading blanks."""
    lines = []
    for line in message.splitlines():
        if line.startswith(SCISSORS):
            break
        if not line.startswith("#"):
            lines.append(line.rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def problem(message: str) -> str | None:
    """What is wrong with ``message`` in one line, or None."""
    lines = kept_lines(message)
    if not lines:
        return None  # git itself refuses an empty message
    subject = lines[0]
    while subject.startswith(AUTOSQUASH_PREFIXES):
        subject = subject.split(" ", 1)[1]
    if len(subject) > SUBJECT_LIMIT:
        return (
            f"the subject is {len(subject)} characters, at most {SUBJECT_LIMIT} are allowed: "
            "shorten it and put the detail in the body"
        )
    if len(lines) > 1 and lines[1]:
        return "line 2 must be blank: a one-line subject, a blank line, then the body"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check-commit-message.py MESSAGE_FILE", file=sys.stderr)
        return 2
    try:
        message = Path(argv[0]).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        print(f"commit message: cannot read {argv[0]}: {error.strerror}", file=sys.stderr)
        return 2
    found = problem(message)
    if found:
        print(f"commit message: {found}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
