"""What a saved Terraform plan would do, read from ``terraform show -json``: counts, lost user pools, Idura work.

Pure functions over the plan document (tests feed it plans of real runs). The document holds sensitive values;
only actions, addresses and the program's non-secret ``pending``/``action`` keys are read from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


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

    @property
    def changes(self) -> bool:
        return bool(self.add or self.change or self.destroy or self.moves or self.imports)

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


def summarize(plan: dict[str, Any]) -> PlanSummary:
    summary = PlanSummary()
    for change in plan.get("resource_changes", []):
        actions = change.get("change", {}).get("actions", [])
        if change.get("mode") == "data":
            if change.get("type") == "external" and "read" in actions:
                summary.idura_deferred = True
            continue
        if change.get("change", {}).get("importing"):
            summary.imports += 1
        if change.get("previous_address") and change["previous_address"] != change["address"]:
            summary.moves += 1
        if actions == ["create"]:
            summary.add += 1
        elif actions == ["update"]:
            summary.change += 1
        elif actions == ["delete"]:
            summary.destroy += 1
        elif sorted(actions) == ["create", "delete"]:
            summary.add += 1
            summary.destroy += 1
        if change.get("type") == "aws_secretsmanager_secret" and "create" in actions:
            summary.creates_escrow = True
        if change.get("type") == "aws_cognito_user_pool" and "delete" in actions:
            summary.lost_pools.append((change["address"], "replaced" if "create" in actions else "destroyed"))
    for resource in _resources(plan.get("prior_state", {}).get("values", {}).get("root_module", {})):
        if resource.get("mode") == "data" and resource.get("type") == "external":
            result = (resource.get("values") or {}).get("result") or {}
            summary.idura_pending = str(result.get("pending", ""))
    return summary


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)
