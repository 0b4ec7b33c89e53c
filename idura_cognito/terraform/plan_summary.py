"""What a saved plan would do, read from ``terraform show -json`` of it: counts, replacements, Idura's work.

Only structured data is read, never Terraform's human text: a config value printed in the plan (a scope, a URL,
a name) can look like any line Terraform prints, but it cannot become a field of the plan's JSON. The resource
changes give the counts, the moves, the imports and every replacement; the external program's result (the data
source's value in the plan's prior state, read while planning) gives what an allowed run would change at Idura:
``pending`` for people, ``intent`` and ``inputs_digest`` for deploy's grant (program/application.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

#: The Terraform name of the program's data source, in either rendering (root or module.idura_application).
PROGRAM_DATA_SOURCE = "data.external.idura_application"
#: Resources whose replacement is an outage of the login (users lost, logins failing until DNS or apps follow).
LOGIN_RESOURCES = {
    "aws_cognito_user_pool": "the user pool: every user in it and their logins are lost",
    "aws_cognito_user_pool_domain": "the login domain: logins fail until the new domain answers (a custom "
    "domain's CloudFront distribution takes up to an hour)",
    "aws_cognito_identity_provider": "an identity provider: logins through it fail until it exists again",
    "aws_cognito_user_pool_client": "an app client: it gets a new client id (and secret), so its application "
    "fails until it is reconfigured",
}


@dataclass(frozen=True)
class Replacement:
    address: str
    type: str
    how: str  # "replaced" or "destroyed"

    def line(self) -> str:
        what = LOGIN_RESOURCES.get(self.type, "")
        return f"!! {self.how.upper()}: {self.address} would be {self.how}; {what}"


@dataclass(frozen=True)
class IduraWork:
    """What the program said an allowed run would change (nothing when it found nothing to do)."""

    pending: str = ""  # for people: "would add redirect URL ...; would issue a new client secret: ..."
    intent: tuple[tuple[str, str], ...] = ()  # for the grant: (change, detail) pairs
    inputs_digest: str = ""

    def grant_intent(self) -> list[list[str]]:
        return [list(change) for change in self.intent]


@dataclass
class PlanSummary:
    add: int = 0
    change: int = 0
    destroy: int = 0
    moves: int = 0
    imports: int = 0
    #: Every login resource the plan would replace or destroy.
    replacements: list[Replacement] = field(default_factory=list)
    #: What the Idura program says an allowed run would change (None: no program in this root).
    idura: IduraWork | None = None
    #: The program runs only during apply (its inputs are unknown at plan): what it would do cannot be reviewed.
    idura_deferred: bool = False
    #: The plan creates the managed escrow (it does not exist, or was deleted outside Terraform).
    creates_escrow: bool = False
    #: Addresses of every resource the plan creates anew, not as a replacement (orphans.py looks for those that
    #: exist already: a replaced one exists in the state).
    created: set[str] = field(default_factory=set)

    @property
    def idura_pending(self) -> str:
        return self.idura.pending if self.idura else ""

    @property
    def idura_work(self) -> bool:
        return bool(self.idura and self.idura.intent) or self.idura_deferred

    @property
    def lost_pools(self) -> list[tuple[str, str]]:
        return [(r.address, r.how) for r in self.replacements if r.type == "aws_cognito_user_pool"]

    def line(self) -> str:
        parts = [f"{self.add} to add, {self.change} to change, {self.destroy} to destroy"]
        if self.imports:
            parts.append(f"{self.imports} to import")
        if self.moves:
            parts.append(f"{self.moves} to move")
        return ", ".join(parts)

    def warnings(self) -> list[str]:
        lines = [replacement.line() for replacement in self.replacements]
        if self.idura_pending:
            lines.append(f"Idura: an allowed run would change: {self.idura_pending}")
        elif self.idura_deferred:
            lines.append("Idura: the program's inputs are known only during the apply, so its changes cannot be shown")
        return lines


def summarize(plan: dict[str, Any]) -> PlanSummary:
    """Read a ``terraform show -json <plan file>`` document."""
    summary = PlanSummary()
    for change in plan.get("resource_changes") or []:
        address, actions = change.get("address", ""), tuple((change.get("change") or {}).get("actions") or ())
        if change.get("mode") == "data":
            if _bare(address).endswith(PROGRAM_DATA_SOURCE) and "read" in actions:
                summary.idura_deferred = True
            continue
        if change.get("previous_address") and change["previous_address"] != address:
            summary.moves += 1
        if (change.get("change") or {}).get("importing") is not None:
            summary.imports += 1
        if "create" in actions:
            summary.add += 1
            if "delete" not in actions:
                summary.created.add(address)
        if "update" in actions:
            summary.change += 1
        if "delete" in actions:
            summary.destroy += 1
            if change.get("type") in LOGIN_RESOURCES:
                how = "replaced" if "create" in actions else "destroyed"
                summary.replacements.append(Replacement(address, change["type"], how))
        if "create" in actions and _bare(address).endswith("aws_secretsmanager_secret.escrow"):
            summary.creates_escrow = True
    summary.idura = _idura_work(plan)
    return summary


def _bare(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def _idura_work(plan: dict[str, Any]) -> IduraWork | None:
    """The program's result as read while planning (the prior state holds every data source read then)."""
    result = None
    for resource in _resources((plan.get("prior_state") or {}).get("values", {}).get("root_module") or {}):
        if resource.get("mode") == "data" and _bare(resource.get("address", "")).endswith(PROGRAM_DATA_SOURCE):
            result = (resource.get("values") or {}).get("result")
    if not isinstance(result, dict):
        return None
    try:
        changes = json.loads(result["intent"]) if "intent" in result else None
    except (TypeError, ValueError):
        changes = None
    if not isinstance(changes, list) or not all(
        isinstance(c, list) and len(c) == 2 and all(isinstance(p, str) for p in c) for c in changes
    ):
        # An older program (no intent) or a broken answer: its pending text is shown, nothing is granted.
        changes = [["unknown", "the program did not say what it would change"]] if result.get("pending") else []
    return IduraWork(
        pending=str(result.get("pending") or ""),
        intent=tuple((c[0], c[1]) for c in changes),
        inputs_digest=str(result.get("inputs_digest") or ""),
    )


def _resources(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(module.get("resources") or [])
    for child in module.get("child_modules") or []:
        found += _resources(child)
    return found
