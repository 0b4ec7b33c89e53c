"""The docs' generated tables: the config reference of docs/configuration.md (from the field table) and acr
values, and the claims per eID in docs/idura-fidelity.md (both from Idura's eID table, idura_verify.eids).

Like the module's files, they are written by ``make generate`` and compared by its ``--check`` (and a test), so
the README cannot describe a rule the loader does not enforce. Nothing here runs for users.
"""

from __future__ import annotations

from pathlib import Path

from idura_cognito.config.fields import FIELDS
from idura_verify.eids import DOCUMENTED, REFUSED

CONFIG_BEGIN, CONFIG_END = "<!-- BEGIN_CONFIG_REFERENCE -->", "<!-- END_CONFIG_REFERENCE -->"
ACR_BEGIN, ACR_END = "<!-- BEGIN_ACR_VALUES -->", "<!-- END_ACR_VALUES -->"
CLAIMS_BEGIN, CLAIMS_END = "<!-- fidelity:claims -->", "<!-- /fidelity:claims -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def config_reference() -> str:
    """One row per field of the config table (idura_cognito/config/fields.py), in its order."""
    lines = [CONFIG_BEGIN, "| key | default | allowed |", "| --- | --- | --- |"]
    lines += [f"| `{_display(field.key)}` | {_cell(field.shown)} | {_cell(field.allowed_text)} |" for field in FIELDS]
    return "\n".join([*lines, CONFIG_END])


def _display(key: str) -> str:
    return "stacks.<name>" if key == "stack" else key


def acr_values() -> str:
    lines = [
        ACR_BEGIN,
        "| acr value | eID | country | `identityscheme` | through Cognito | `<BASE64(acr)>` path segment |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{e.acr}` | {e.eid} | {e.country or '-'} | {f'`{e.scheme}`' if e.scheme else '-'} | {_cognito(e)} | "
        f"`{e.path_segment}` |"
        for e in DOCUMENTED
    ]
    return "\n".join([*lines, ACR_END])


def _cognito(entry) -> str:
    if entry.cognito == REFUSED:
        return "**refused** (see below)"
    scopes = list(entry.claims.by_scope)
    if entry.one_scope_of:
        return f"needs one `{entry.one_scope_of}*` scope and data scopes"
    if entry.why:
        return "needs scopes: " + ", ".join(f"`{s}`" for s in scopes[:2]) + (", ..." if len(scopes) > 2 else "")
    return "yes"


def claims_per_eid() -> str:
    """One row per claim profile: the eIDs that share it, what they send, what a scope adds, the source."""
    lines = [
        CLAIMS_BEGIN,
        "| profile | acr values | sent (static scopes) | a scope adds | only sometimes | source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    seen: dict[str, list] = {}
    for entry in DOCUMENTED:
        seen.setdefault(entry.claims.profile, []).append(entry)
    for profile, entries in seen.items():
        claims = entries[0].claims
        names = "<br>".join(f"`{e.acr}`" for e in entries)
        always = ", ".join(f"`{c}`" for c in sorted(claims.always)) or "nothing but `sub`"
        scoped = "; ".join(
            f"`{scope}`: " + ", ".join(f"`{c}`" for c in sorted(added)) for scope, added in claims.by_scope.items()
        )
        sometimes = "; ".join(f"`{c}` ({when})" for c, when in claims.sometimes.items())
        lines.append(
            f"| `{profile}` | {_cell(names)} | {always} | {_cell(scoped) or '-'} | {_cell(sometimes) or '-'} | "
            f"{_cell(claims.source)} |"
        )
    return "\n".join([*lines, CLAIMS_END])


def with_tables(text: str, tables: tuple[tuple[str, str, str], ...], name: str) -> str:
    for begin, end, table in tables:
        before, found, rest = text.partition(begin)
        if not found:
            raise ValueError(f"{name} lost its {begin} marker")
        _, _, after = rest.partition(end)
        text = before + table + after
    return text


def write(repository: Path, check: bool) -> list[str]:
    """Writes the tables into docs/configuration.md and docs/idura-fidelity.md (with ``check``, only compares);
    the names of the files that differed."""
    documents = {
        repository / "docs" / "configuration.md": (
            (CONFIG_BEGIN, CONFIG_END, config_reference()),
            (ACR_BEGIN, ACR_END, acr_values()),
        ),
        repository / "docs" / "idura-fidelity.md": ((CLAIMS_BEGIN, CLAIMS_END, claims_per_eid()),),
    }
    changed = []
    for path, tables in documents.items():
        current = path.read_text()
        text = with_tables(current, tables, path.name)
        if text != current:
            if not check:
                path.write_text(text)
            changed.append(path.name)
    return changed
