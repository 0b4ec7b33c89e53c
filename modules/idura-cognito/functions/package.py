"""Build a function's Lambda package: the same bytes on every machine and Python (3.9 and later).

Why here and not an archive provider: Terraform builds it while it applies (linking.tf runs this file from a
``terraform_data`` resource), so a plan reads only and writes nothing, and an apply on another machine than the
plan's (a CI job of its own, HCP Terraform) builds what it uploads. The ZIP holds one stored (not deflated)
entry with a fixed date and mode, so its SHA-256 is known before it is built: ``make generate`` writes it into
functions.tf, which the plan compares with the deployed function's.

Usage: ``python3 -I -B package.py <function> <output.zip>``, e.g. ``link_federated_user``: packages
``<function>/handler.py`` beside this file. Standard library only.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

#: The file Lambda runs (``handler.handler``), the only one in the package.
ENTRY = "handler.py"


def package(source: bytes) -> bytes:
    """The package of one handler: one stored entry, dated 1980-01-01 (ZIP's first date), mode rw-r--r--."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        entry = zipfile.ZipInfo(ENTRY, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
        entry.create_system = 3  # Unix, so that the mode above is read as one
        archive.writestr(entry, source)
    return buffer.getvalue()


def main(argv: list) -> int:
    if len(argv) != 2 or not re.fullmatch(r"[a-z_]+", argv[0]):
        print("usage: package.py <function> <output.zip>  (function: a folder beside package.py)", file=sys.stderr)
        return 2
    function, output = argv
    source = Path(__file__).resolve().parent / function / ENTRY
    try:
        data = package(source.read_bytes())
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, target)  # whole or absent: an interrupted build never leaves half a package
    except OSError as exc:
        print(f"package.py: cannot package {function}: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
