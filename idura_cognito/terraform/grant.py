"""The one-time grant that lets one Terraform run change Idura: exactly what the reviewed plan announced.

`idura-cognito deploy` shows a read-only plan; the program's answer in it says, as data, what an allowed run would
change at Idura (``intent``) and a digest of the inputs it worked that out from. After the approval, deploy writes
both into a grant: a file of mode 0600 in a private folder of its own (``tempfile.mkdtemp``), named to the one
Terraform run it starts (``IDURA_COGNITO_DEPLOY_GRANT`` in that run's environment only) and removed when the run
ends, whatever happened. The program (idura_verify/program) carries out the granted changes for exactly those
inputs, or none: inputs that differ (a file edited, pulled or re-rendered between the review and the run) are
refused before any request, a change the review did not announce before any change, and the grant is used up
before the first change, so no second run can use it. No environment variable of a shell can stand in for it: a
path that outlives its run names no file, and the program then refuses to run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from idura_verify.program import environment

from .plan_summary import IduraWork


@contextlib.contextmanager
def for_one_run(work: IduraWork) -> Iterator[dict[str, str]]:
    """The environment for the one run the grant is for; the grant is removed when the ``with`` ends."""
    folder = Path(tempfile.mkdtemp(prefix="idura-cognito-grant-"))  # 0700, this user's
    try:
        path = folder / "grant.json"
        document = {
            "digest": work.inputs_digest,
            "intent": work.grant_intent(),
            "expires": time.time() + environment.GRANT_SECONDS,
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(document, file)
        yield {environment.DEPLOY_GRANT: str(path)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
