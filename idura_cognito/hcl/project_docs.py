"""The README's generated tables: the config reference (from the field table) and the acr values Idura documents.

Like the module's files, they are written by ``make generate`` and compared by its ``--check`` (and a test), so
the README cannot describe a rule the loader does not enforce. Nothing here runs for users.
"""

from __future__ import annotations

from pathlib import Path

from idura_verify.acr_values import DOCUMENTED

from ..config.fields import FIELDS

CONFIG_BEGIN, CONFIG_END = "<!-- BEGIN_CONFIG_REFERENCE -->", "<!-- END_CONFIG_REFERENCE -->"
ACR_BEGIN, ACR_END = "<!-- BEGIN_ACR_VALUES -->", "<!-- END_ACR_VALUES -->"


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
        "| acr value | eID | country | `identityscheme` | `<BASE64(acr)>` path segment |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{e.acr}` | {e.eid} | {e.country or '-'} | `{e.scheme}` | `{e.path_segment}` |" for e in DOCUMENTED]
    return "\n".join([*lines, ACR_END])


def with_tables(readme: str) -> str:
    for begin, end, table in ((CONFIG_BEGIN, CONFIG_END, config_reference()), (ACR_BEGIN, ACR_END, acr_values())):
        before, found, rest = readme.partition(begin)
        if not found:
            raise ValueError(f"README.md lost its {begin} marker")
        _, _, after = rest.partition(end)
        readme = before + table + after
    return readme


def write(readme: Path, check: bool) -> list[str]:
    """Writes the tables into ``readme`` (with ``check``, only compares); the names of files that differed."""
    current = readme.read_text()
    text = with_tables(current)
    if text == current:
        return []
    if not check:
        readme.write_text(text)
    return [readme.name]
