"""The answer of an operation the wrapper adds to moto: a JSON body with the JSON protocol's content type (what
moto's own handlers send; a bare string would go out as text/html)."""

from __future__ import annotations

import json
from typing import Any

CONTENT_TYPE = "application/x-amz-json-1.1"


def answer(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return json.dumps(body), {"status": 200, "Content-Type": CONTENT_TYPE}
