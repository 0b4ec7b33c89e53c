"""Is the plan about to be applied the plan that was reviewed? Two saved plans compared resource by resource.

``deploy`` shows a read-only plan and asks. When that plan found work at Idura, the program must run once more,
allowed to change Idura, and that second plan is what gets applied. Between the two, anything may have changed
(state, drift in AWS, a concurrent run), so the second plan is compared with the reviewed one
(``terraform show -json`` of both) and applied only when every difference is one the reviewed plan announced:
values that come from Idura's answer. Those are:

- the escrow's secret version (the secret and its Idura id are its whole content; it may be written or replaced),
- ``provider_details.client_secret`` of the identity providers (they may go from unchanged to updated for it),
- the program's own data source, and the ``idura_application_id`` output.

Every other difference is listed by address and attribute name (never a value: plans hold the secret), and the
deploy asks again or stops.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..definitions.addresses import ESCROW_VERSION

#: Outputs whose value comes from Idura's answer.
IDURA_OUTPUTS = frozenset({"idura_application_id"})
_QUIET = ("no-op", "update")  # an identity provider may go from one to the other for its secret alone


def differences(reviewed: dict[str, Any], applying: dict[str, Any]) -> list[str]:
    """One line per difference the review did not announce ("" list: the plans agree)."""
    before, after = _changes(reviewed), _changes(applying)
    found = []
    for address in sorted(before.keys() | after.keys()):
        old, new = before.get(address), after.get(address)
        kind = _kind(address)
        if kind in ("escrow_version", "program"):
            continue
        if old is None or new is None:
            found.append(f"{address}: {'not in' if old is None else 'only in'} the reviewed plan")
            continue
        old_actions, new_actions = tuple(old["actions"]), tuple(new["actions"])
        names = sorted(n for n in _attribute_names(old, new) if _value(old, n, kind) != _value(new, n, kind))
        quiet = kind == "identity_provider" and {*old_actions, *new_actions} <= {*_QUIET}
        if old_actions != new_actions and not quiet:
            what = f" ({', '.join(names)})" if names else ""
            found.append(f"{address}: {'/'.join(new_actions)} instead of the reviewed {'/'.join(old_actions)}{what}")
        elif names:
            found.append(f"{address}: {', '.join(names)} differ from the reviewed plan")
    for name in sorted(_outputs(reviewed).keys() | _outputs(applying).keys()):
        if name not in IDURA_OUTPUTS and _outputs(reviewed).get(name) != _outputs(applying).get(name):
            found.append(f"output {name}: differs from the reviewed plan")
    return found


def load(show_json: str) -> dict[str, Any]:
    return json.loads(show_json)


def _changes(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {change["address"]: change["change"] for change in plan.get("resource_changes", [])}


def _outputs(plan: dict[str, Any]) -> dict[str, Any]:
    return plan.get("output_changes", {}) or {}


def _kind(address: str) -> str:
    bare = re.sub(r"\[[^\]]*\]", "", address)
    if bare.endswith(ESCROW_VERSION.address):
        return "escrow_version"
    if "data.external." in bare:
        return "program"
    if ".aws_cognito_identity_provider." in f".{bare}":
        return "identity_provider"
    return "other"


def _attribute_names(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for change in (old, new):
        for part in ("before", "after", "after_unknown"):
            value = change.get(part)
            if isinstance(value, dict):
                names |= set(value)
    return names


def _value(change: dict[str, Any], name: str, kind: str) -> tuple[Any, Any, Any]:
    """What the plan says of one attribute: before, after, unknown-after. An identity provider's secret is
    left out: it is Idura's answer."""
    parts = []
    for part in ("before", "after", "after_unknown"):
        value = (change.get(part) or {}).get(name) if isinstance(change.get(part), dict) else None
        if kind == "identity_provider" and name == "provider_details" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "client_secret"}
        parts.append(value)
    return parts[0], parts[1], parts[2]
