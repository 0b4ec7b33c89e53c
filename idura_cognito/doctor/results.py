"""Check results and the report (text for people, JSON for machines)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Literal

from idura_verify.program.rules import FORBIDDEN_CHARACTERS

Status = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    status: Status
    detail: str = ""
    fix: str = ""


def passed(id: str, title: str, detail: str = "") -> CheckResult:
    return CheckResult(id, title, "pass", detail)


def failed(id: str, title: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(id, title, "fail", detail, fix)


def warned(id: str, title: str, detail: str, fix: str = "") -> CheckResult:
    return CheckResult(id, title, "warn", detail, fix)


def skipped(id: str, title: str, detail: str) -> CheckResult:
    return CheckResult(id, title, "skip", detail)


_MARKS = {"pass": ("PASS", "32"), "fail": ("FAIL", "1;31"), "warn": ("WARN", "33"), "skip": ("SKIP", "2")}


#: Control characters (ESC, CR, ...) in text a server sent could forge lines or drive the terminal; bidirectional
#: formatting could reorder what is read: the characters the config refuses (one definition, rules.py).
_CONTROL = re.compile(f"[{FORBIDDEN_CHARACTERS}]")


def safe(text: str) -> str:
    """``text`` with every control or invisible character written as an escape (``\\x1b``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def text_report(stack: str, results: list[CheckResult], colour: bool) -> str:
    lines = [f"idura-cognito doctor: stack {stack}", ""]
    for result in results:
        word, code = _MARKS[result.status]
        mark = f"\033[{code}m{word}\033[0m" if colour else word
        line = f"{mark}  {safe(result.title)}"
        if result.detail:
            line += f": {safe(result.detail)}"
        lines.append(line)
        if result.fix:
            lines.append(f"      fix: {safe(result.fix)}")
    counts = Counter(r.status for r in results)
    lines += [
        "",
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['warn']} warnings, {counts['skip']} skipped",
    ]
    return "\n".join(lines)


def json_report(stack: str, results: list[CheckResult]) -> str:
    counts = Counter(r.status for r in results)
    return json.dumps(
        {
            "stack": stack,
            "ok": counts["fail"] == 0,
            "summary": dict(counts),
            "checks": [asdict(r) for r in results],
        },
        indent=2,
    )
