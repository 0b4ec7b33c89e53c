"""``make generate``: write every generated file; ``--check`` only compares and exits 1 when one is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from . import module_docs, module_files, project_docs

REPOSITORY = Path(__file__).resolve().parents[1]
MODULE = REPOSITORY / "modules" / "idura-cognito"


def write_module(module: Path, check: bool) -> list[str]:
    """Write (or with ``check`` only compare) the module's generated files; returns the paths that differed."""
    drifted = []
    for relative, text in {**module_files.generated_files(), **module_docs.readme_files(module)}.items():
        path = module / relative
        if not path.exists() or path.read_text() != text:
            drifted.append(relative)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return drifted


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = [f"modules/idura-cognito/{name}" for name in write_module(MODULE, check)]
    changed += project_docs.write(REPOSITORY, check)
    for name in changed:
        print(f"{'drifted' if check else 'wrote'} {name}", file=sys.stderr)
    return 1 if changed and check else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
