"""Every claim in the README and docs/ that names a test names one that exists (a claim without a test that can
fail is either proven or removed)."""

from __future__ import annotations

import ast
import re

import pytest

from tests.support.paths import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "modules/idura-cognito/README.md"]
REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(\w+))?")
#: The documents whose promises must each name a test (issue: "every claim has a test that can fail").
MUST_CITE = {"security.md": 25, "secret-lifecycle.md": 10, "README.md": 8}


def _tests_in(path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test")}


def _references() -> list[tuple[str, str, str | None]]:
    found = []
    for document in DOCUMENTS:
        for match in REFERENCE.finditer(document.read_text()):
            found.append((document.name, match.group(1), match.group(2)))
    return found


@pytest.mark.parametrize(("document", "path", "test"), _references(), ids=lambda v: str(v))
def test_a_named_test_exists(document, path, test):
    file = ROOT / path
    assert file.is_file(), f"{document} names {path}, which does not exist"
    if test:
        assert test in _tests_in(file), f"{document} names {path}::{test}, which does not exist"


@pytest.mark.parametrize(("name", "minimum"), sorted(MUST_CITE.items()))
def test_the_documents_of_promises_cite_their_tests(name, minimum):
    cited = {(path, test) for doc, path, test in _references() if doc == name}
    assert len(cited) >= minimum, f"{name} cites {len(cited)} tests"


def test_install_lines_name_the_newest_release_and_wheels_the_build_makes():
    """A user copies these lines: a git ref names a release CHANGELOG.md has (the newest), and a wheel name is one
    `python -m build` of this tree can make (a glob, or this version)."""
    from idura_cognito import __version__
    from tests.support.releases import releases

    newest = releases()[0].version
    for path in (ROOT / "README.md", ROOT / "modules/idura-cognito/README.md"):
        text = path.read_text()
        refs = set(re.findall(r"(?:@|ref=)v(\d+\.\d+\.\d+)", text))
        assert refs <= {newest}, f"{path.name} names {sorted(refs)}; the newest release is {newest}"
        wheels = set(re.findall(r"idura_cognito-([^-\s]+)-py3-none-any\.whl", text))
        assert wheels <= {"*", __version__}, f"{path.name} names wheels {sorted(wheels)}; the build makes {__version__}"
