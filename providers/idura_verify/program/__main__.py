# The external data program's entry point: Terraform runs `python3 -I <program folder>` (Python puts the folder
# on its path). The program needs nothing but the standard library of Python 3.9 or newer; on an older Python it
# says so in one line. This file parses on any Python (no newer syntax) so that the check can run.
import sys

if sys.version_info < (3, 9):  # noqa: UP036 - the point of this file: it runs on any python3
    # No f-string: Python 2 and 3.5 must parse this file to print the line.
    found = ".".join(str(part) for part in sys.version_info[:2])
    sys.stderr.write(
        "idura_application: needs Python 3.9 or newer on the machine that runs Terraform; this python3 is "
        + found
        + "\n"
    )
    sys.exit(1)

from application import main  # noqa: E402 - after the version check, by design

sys.exit(main())
