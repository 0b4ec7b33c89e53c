"""What the config says about a pinned eID beyond its syntax, from Idura's eID table (idura_verify.eids): an eID
that cannot log in through Cognito is refused, one that needs scopes it is not given warns, and a mapped claim
that only a scope brings warns naming that scope. Each refusal and warning is one line with the key path."""

from __future__ import annotations

from idura_verify import eids

from .model import PinnedEid, StackConfig
from .toml_reader import Table


def check_pinned_eid(t: Table, eid: PinnedEid, warnings: list[str]) -> None:
    """Refusals and warnings that need only the pinned eID itself (``t`` is its table)."""
    refused = eids.refusal(eid.acr)
    if refused:
        raise t.error("acr", refused)
    entry = eids.BY_ACR.get(eid.acr)
    if entry is None:
        warnings.append(f"{t.source}: {t.key('acr')}: {eids.undocumented_warning(eid.acr)}")
        return
    if entry.one_scope_of:
        given = [scope for scope in eid.scopes or () if scope.startswith(entry.one_scope_of)]
        if len(given) != 1:
            raise t.error(
                "scopes",
                f"{entry.eid} needs exactly one {entry.one_scope_of}* scope on every login (found {len(given)}): "
                f"{entry.why}",
            )


def scope_warnings(t: Table, stack: StackConfig) -> list[str]:
    """Pinned eIDs that, with the scopes they are given, send no user data or not a mapped claim (``t`` is the
    stack's table)."""
    found = []
    mapping = {a: c for a, c in stack.identity_provider.attributes.items() if a != "username"}
    for i, eid in enumerate(stack.pinned_eids):
        entry = eids.BY_ACR.get(eid.acr)
        if entry is None:
            continue
        scopes = eid.scopes or stack.identity_provider.scopes
        key = t.key(f"pinned_eids[{i}]")
        warning = entry.needs_scope_warning(scopes)
        if warning:
            found.append(f"{t.source}: {key}.scopes: {eid.name}: {warning}")
            continue
        sent = entry.claims.sent_with(scopes)
        for attribute, claim in sorted(mapping.items()):
            scope = entry.claims.scope_for(claim)
            if claim not in sent and scope is not None:
                found.append(
                    f"{t.source}: {key}.scopes: {eid.name} sends {claim} (mapped to {attribute}) only with scope "
                    f"{scope} (dynamic scopes on the Idura application; with static scopes, only if the dashboard's "
                    f"settings for {entry.eid} include it): add it to this eID's scopes"
                )
    return found
