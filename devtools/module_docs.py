"""The module READMEs' generated part: the tables terraform-docs would write, between its markers.

Everything outside ``<!-- BEGIN_TF_DOCS -->`` / ``<!-- END_TF_DOCS -->`` is hand-written prose; between them,
Requirements, Providers, Inputs and Outputs come from the same definitions the .tf files are generated from, in
terraform-docs' markdown table layout. ``make generate`` rewrites them; a test checks they are current.
"""

from __future__ import annotations

from pathlib import Path

from idura_cognito.definitions import versions
from idura_cognito.definitions.outputs import OUTPUTS

from . import module_files

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    return "`" + " ".join(text.split()).replace("|", "\\|") + "`"


def tables(main: bool) -> str:
    variables = module_files.MAIN_VARIABLES if main else module_files.APPLICATION_VARIABLES
    provider = ("aws", versions.AWS_PROVIDER) if main else ("external", versions.EXTERNAL_PROVIDER)
    lines = [
        BEGIN,
        "## Requirements",
        "",
        "| Name | Version |",
        "|------|---------|",
        f"| terraform | {versions.TERRAFORM} |",
        f"| {provider[0]} | {provider[1]} |",
        "",
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    ordered = sorted(variables, key=lambda v: (v.default is not module_files.REQUIRED, v.name))
    for v in ordered:
        required = v.default is module_files.REQUIRED
        default = "n/a" if required else _code(str(v.default))
        lines.append(
            f"| {v.name} | {_cell(v.description)} | {_code(v.type)} | {default} | {'yes' if required else 'no'} |"
        )
    if main:  # the object variables' attributes (their descriptions are one sentence)
        for table, variable in (("user_pool", "user_pool"), ("domain", "domain"),
                                ("identity_provider", "identity_provider"), ("app_client", "app_clients")):  # fmt: skip
            lines += ["", f"### `{variable}` attributes", "", "| Attribute | Description | Type | Default |",
                      "|-----------|-------------|------|---------|"]  # fmt: skip
            for attribute, kind, description, shown in module_files.object_attributes(table):
                lines.append(f"| {attribute} | {_cell(description)} | {_code(kind)} | {_cell(shown) or 'n/a'} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    if main:
        lines += [f"| {o.name} | {_cell(o.description)} |" for o in OUTPUTS]
    else:
        lines += [
            "| result | The program's result for the idura-cognito module's `idura_application` input (sensitive). |",
            "| action | What the program did at Idura: created, updated, rotated, unchanged, or pending. |",
            '| pending | What a run allowed to change Idura would change ("" when nothing). |',
        ]
    return "\n".join([*lines, END])


def with_tables(readme: str, main: bool) -> str:
    before, found, rest = readme.partition(BEGIN)
    if not found:
        return readme.rstrip("\n") + "\n\n" + tables(main) + "\n"
    _, _, after = rest.partition(END)
    return before + tables(main) + after


def readme_files(module: Path) -> dict[str, str]:
    """README paths (relative to the module) -> their content with current tables."""
    out = {}
    for relative, main in (("README.md", True), ("modules/idura-application/README.md", False)):
        path = module / relative
        current = path.read_text() if path.exists() else f"# {path.parent.name}\n"
        out[relative] = with_tables(current, main)
    return out
