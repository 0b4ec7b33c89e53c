"""The module's README: its inputs and outputs tables are generated from variables.tf and outputs.tf.

`idura-cognito module-docs` writes modules/idura-cognito/README.md; `--check` fails when it has drifted (the test
suite runs the check).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .render import MODULE_SOURCE

README = MODULE_SOURCE / "README.md"


@dataclass(frozen=True)
class Input:
    name: str
    description: str
    type: str
    default: str | None  # None: required

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _text(value: object) -> str:
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = json.loads(text)
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def read_module(module: Path = MODULE_SOURCE) -> tuple[list[Input], list[Output]]:
    import hcl2

    with (module / "variables.tf").open() as file:
        variables = hcl2.load(file).get("variable", [])
    with (module / "outputs.tf").open() as file:
        outputs = hcl2.load(file).get("output", [])
    inputs = []
    for item in variables:
        for name, body in item.items():
            name = _text(name)
            default = None
            if "default" in body:
                raw = body["default"]
                default = "null" if raw is None else (_text(raw) if isinstance(raw, str) else json.dumps(raw))
                default = (
                    default
                    if default.startswith(("[", "{", "null", "true", "false")) or default[:1].isdigit()
                    else json.dumps(default)
                )
            inputs.append(Input(name, _text(body.get("description", "")), _text(body.get("type", "any")), default))
    result = [
        Output(_text(name), _text(body.get("description", ""))) for item in outputs for name, body in item.items()
    ]
    return inputs, result


def render_readme(module: Path = MODULE_SOURCE) -> str:
    inputs, outputs = read_module(module)
    environment = jinja2.Environment(  # noqa: S701 - Markdown, not HTML
        loader=jinja2.PackageLoader("idura_cognito.hcl", "templates"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701
    )
    environment.filters["cell"] = _cell
    template = environment.get_template("module_README.md.j2")
    return template.render(inputs=sorted(inputs, key=lambda i: (not i.required, i.name)), outputs=outputs)


def write_readme(check: bool = False) -> bool:
    """Write (or with ``check`` only compare) the README; True when it was already up to date."""
    text = render_readme()
    current = README.read_text() if README.exists() else ""
    if current == text:
        return True
    if not check:
        README.write_text(text)
    return False
