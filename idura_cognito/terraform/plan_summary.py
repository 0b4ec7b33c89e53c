"""What a Terraform plan would do, read from the plan's own human output: counts, lost user pools, Idura work.

Read from the text Terraform prints anyway (``-no-color``), so a reviewed plan costs one Terraform process:
``terraform show -json`` would load the 675 MB AWS provider a second time for the same answer. The lines read
are Terraform's stable summary and change headers (``Plan: ...``, ``# <address> must be replaced``, ``has moved
to``, ``will be read during apply``) and the warning of the module's ``idura_changes`` check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PLAN = re.compile(
    r"^Plan: (?:(?P<imports>\d+) to import, )?(?P<add>\d+) to add, (?P<change>\d+) to change, "
    r"(?P<destroy>\d+) to destroy\.",
    re.M,
)
_HEADER = re.compile(
    r"^\s*# (?P<address>\S+) (?P<what>must be replaced|will be destroyed|will be created|has moved to)"
)
_DEFERRED = re.compile(r"^\s*# (?:module\.\S+\.)?data\.external\.\S+ will be read during apply", re.M)
#: How the pending-changes check's message starts. The module's says "only a run with
#: IDURA_MANAGEMENT_ALLOW_CHANGES makes them: ..."; a CDKTF stack's "only `idura-cognito deploy` makes them (...): ...".
PENDING_PREFIX = "Idura changes are pending; only"
_PENDING_TEXT = re.compile(re.escape(PENDING_PREFIX) + r" .*? makes them(?: \([^)]*\))?: (?P<pending>.*)")


@dataclass
class PlanSummary:
    add: int = 0
    change: int = 0
    destroy: int = 0
    moves: int = 0
    imports: int = 0
    #: (address, "replaced" or "destroyed") for every user pool the plan would delete.
    lost_pools: list[tuple[str, str]] = field(default_factory=list)
    #: What the Idura program says an allowed run would change ("" when nothing or not run at plan time).
    idura_pending: str = ""
    #: The program runs only during apply (its inputs are unknown at plan, e.g. the escrow is being created).
    idura_deferred: bool = False
    #: The plan creates the managed escrow (it does not exist, or was deleted outside Terraform).
    creates_escrow: bool = False
    #: Addresses of every resource the plan creates (orphans.py looks for those that exist already).
    created: set[str] = field(default_factory=set)

    @property
    def idura_work(self) -> bool:
        return bool(self.idura_pending) or self.idura_deferred

    def line(self) -> str:
        parts = [f"{self.add} to add, {self.change} to change, {self.destroy} to destroy"]
        if self.imports:
            parts.append(f"{self.imports} to import")
        if self.moves:
            parts.append(f"{self.moves} to move")
        return ", ".join(parts)

    def warnings(self) -> list[str]:
        lines = [
            f"!! USER POOL {how.upper()}: {address} would be {how}; every user in it and their logins are lost"
            for address, how in self.lost_pools
        ]
        if self.idura_pending:
            lines.append(f"Idura: an allowed run would change: {self.idura_pending}")
        elif self.idura_deferred:
            lines.append("Idura: the program runs during the apply (the escrow is created first)")
        return lines


def summarize(output: str) -> PlanSummary:
    """Read a ``terraform plan -no-color`` output."""
    summary = PlanSummary()
    counts = _PLAN.search(output)
    if counts:
        summary.add, summary.change, summary.destroy = (int(counts[k]) for k in ("add", "change", "destroy"))
        summary.imports = int(counts["imports"] or 0)
    for line in output.splitlines():
        header = _HEADER.match(line)
        if header is None:
            continue
        address, what = header["address"], header["what"]
        if what == "will be created":
            summary.created.add(address)
        if what == "has moved to":
            summary.moves += 1
        elif "aws_cognito_user_pool." in address and what != "will be created":
            summary.lost_pools.append((address, "replaced" if what == "must be replaced" else "destroyed"))
        elif "aws_secretsmanager_secret.escrow" in address and what == "will be created":
            summary.creates_escrow = True
    summary.idura_deferred = bool(_DEFERRED.search(output))
    summary.idura_pending = _check_message(output)
    return summary


def _check_message(output: str) -> str:
    """The text after the pending-changes check's message, up to the end of its paragraph (it may wrap)."""
    start = output.find(PENDING_PREFIX)
    if start < 0:
        return ""
    paragraph = output[start:].split("\n\n", 1)[0]
    text = " ".join(" ".join(line.strip(" │╵") for line in paragraph.splitlines()).split())
    found = _PENDING_TEXT.match(text)
    return found["pending"].strip() if found else ""
