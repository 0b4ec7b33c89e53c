"""What the config says about the eIDs beyond its syntax, from Idura's eID table (idura_verify.eids).

- an eID that cannot log in through Cognito is refused; one that needs scopes it is not given warns;
- each identity provider's attribute mapping is checked against what its eID sends (:func:`mapping_findings`,
  which the doctor uses too): a claim the eID never sends is refused, one it sends only with a scope it is not
  given (or only for some users) warns naming the scope (or the condition); the picker, which offers every eID,
  is warned about claims not every eID it offers sends;
- ``@national_id`` and ``@person_id`` in a pinned eID's mapping become the claim that eID uses
  (:func:`resolve_mapping`).

Each refusal and warning is one line with the key path.
"""

from __future__ import annotations

from dataclasses import dataclass

from idura_verify import eids

from .model import PinnedEid, StackConfig
from .toml_reader import Table

#: The claim roles a pinned eID's mapping may name instead of a claim.
ROLES = {"@national_id": "national id number", "@person_id": "stable person identifier"}


@dataclass(frozen=True)
class Finding:
    """One mapped claim and what the eID does with it: ``refuse`` (never sent) or ``warn`` (not always)."""

    severity: str
    attribute: str
    claim: str
    why: str  # "never", "only with scope ssn", "company signatories only", ...
    scope: str | None = None  # the scope that adds it, when one does


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


def resolve_mapping(t: Table, acr: str, mapping: dict[str, str]) -> dict[str, str]:
    """``@national_id``/``@person_id`` replaced by the claim the eID of ``acr`` uses for them (``t``: the
    mapping's table, for errors)."""
    entry = eids.BY_ACR.get(acr)
    resolved = {}
    for attribute, claim in mapping.items():
        if claim in ROLES:
            if entry is None:
                raise t.error(attribute, f"{claim}: the acr value is not one Idura documents: its claims are unknown")
            found = entry.claims.national_id if claim == "@national_id" else entry.claims.person_id
            if not found:
                why = entry.claims.no_national_id or f"{entry.eid} documents no {ROLES[claim]}"
                raise t.error(attribute, f"{claim}: {why}")
            claim = found
        resolved[attribute] = claim
    return resolved


def mapping_findings(entry: eids.Eid, scopes: tuple[str, ...], mapping: dict[str, str]) -> list[Finding]:
    """What ``entry``'s eID, given ``scopes``, does with each mapped claim (none: it always sends them all)."""
    claims = entry.claims
    sent = claims.sent_with(scopes) | eids.COMMON_CLAIMS
    found = []
    for attribute, claim in sorted(mapping.items()):
        if attribute == "username" or claim in sent:
            continue
        scope = claims.scope_for(claim)
        if claim in claims.sometimes:
            found.append(Finding("warn", attribute, claim, claims.sometimes[claim]))
        elif scope is not None:
            found.append(Finding("warn", attribute, claim, f"only with scope {scope}", scope))
        else:
            found.append(Finding("refuse", attribute, claim, "never"))
    return found


def describe(entry: eids.Eid, finding: Finding) -> str:
    """One phrase for a finding, with what to do."""
    what = entry.scheme or entry.eid
    if finding.severity == "refuse":
        sends = ", ".join(sorted(entry.claims.every)) or "no claims beyond sub"
        return (
            f"{entry.eid} ({what}) never sends {finding.claim} (mapped to {finding.attribute}); it sends: {sends} "
            "(docs/idura-fidelity.md lists the claims per eID)"
        )
    if finding.scope is not None:
        return (
            f"{entry.eid} sends {finding.claim} (mapped to {finding.attribute}) only with scope {finding.scope} "
            f"(dynamic scopes on the Idura application; with static scopes, only if the dashboard's settings for "
            f"{entry.eid} include it): add it to this eID's scopes"
        )
    return f"{entry.eid} sends {finding.claim} (mapped to {finding.attribute}) for some users only ({finding.why})"


def check_mappings(t: Table, stack: StackConfig) -> list[str]:
    """Every identity provider's mapping against its eID (``t``: the stack's table). Refuses a claim a pinned eID
    never sends; returns the warnings."""
    warnings = []
    pinned = {eid.name: (i, eid) for i, eid in enumerate(stack.pinned_eids)}
    for provider in stack.identity_providers:
        if provider.acr is None:
            warnings += _picker_warnings(t, stack, provider.attributes)
            continue
        i, eid = pinned[provider.name]
        entry = eids.BY_ACR.get(provider.acr)
        if entry is None:
            continue
        key = t.key(f"pinned_eids[{i}]")
        inherited = eid.attributes is None
        warning = entry.needs_scope_warning(provider.scopes)
        if warning:
            warnings.append(f"{t.source}: {key}.scopes: {eid.name}: {warning}")
            continue
        for finding in mapping_findings(entry, provider.scopes, provider.attributes):
            if finding.severity == "refuse":
                message = describe(entry, finding)
                if inherited:  # the picker's mapping, which this eID uses for want of its own
                    message += f"; give pinned_eids[{i}] attributes of its own (it uses identity_provider.attributes)"
                    raise t.error(f"pinned_eids[{i}].attributes", message)
                raise t.error(f"pinned_eids[{i}].attributes.{finding.attribute}", message)
            warnings.append(f"{t.source}: {key}: {eid.name}: {describe(entry, finding)}")
    return warnings


#: A short name per claim profile of the eID table, for messages that name many eIDs.
_PRODUCTS = {
    "mitid": "MitID",
    "mitid-business": "MitID Erhverv",
    "se-bankid": "Swedish BankID",
    "freja": "Freja",
    "no-bankid": "Norwegian BankID",
    "vipps": "Vipps MobilePay",
    "idin": "iDIN",
    "personalausweis": "Personalausweis",
    "oneid": "OneID",
}


def _picker_warnings(t: Table, stack: StackConfig, mapping: dict[str, str]) -> list[str]:
    """The picker offers every eID Idura can log in with through Cognito: a mapped claim that some of them never
    send (or send only with a scope) leaves the attribute empty for their users."""
    offered = {e.claims.profile: e.claims for e in eids.DOCUMENTED if e.claims.profile in _PRODUCTS}
    found = []
    for attribute, claim in sorted(mapping.items()):
        if attribute == "username" or claim in eids.COMMON_CLAIMS:
            continue
        never = [_PRODUCTS[p] for p, c in offered.items() if claim not in c.every]
        scoped = [_PRODUCTS[p] for p, c in offered.items() if claim in c.every and claim not in c.always]
        if never or scoped:
            parts = ([f"never sent by {', '.join(never)}"] if never else []) + (
                [f"only with a scope or for some users by {', '.join(scoped)}"] if scoped else []
            )
            found.append(
                f"{t.source}: {t.key('identity_provider.attributes')}: {attribute} <- {claim} is {'; '.join(parts)}: "
                f"their users get {attribute} empty (pin those eIDs, each with a mapping of its own)"
            )
    return found
