"""Step-by-step progress on stderr: colour only on a terminal, plain text when piped, silent with --quiet."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator


class Progress:
    def __init__(self, quiet: bool = False, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.colour = self.stream.isatty() and "NO_COLOR" not in os.environ

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        started = time.monotonic()
        if not self.quiet:
            print(f"{self._paint('==>', '1;34')} {label} ...", file=self.stream, flush=True)
        try:
            yield
        except BaseException:
            if not self.quiet:
                print(f"    {self._paint('failed', '1;31')}: {label}", file=self.stream, flush=True)
            raise
        if not self.quiet:
            elapsed = time.monotonic() - started
            print(f"    {self._paint('done', '32')} in {elapsed:.1f} s", file=self.stream, flush=True)

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)
