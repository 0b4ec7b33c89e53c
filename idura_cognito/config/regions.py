"""AWS regions as the installed AWS SDK (botocore) knows them: a typo is refused instead of planned.

A region name that fits the pattern but does not exist (``eu-nort-1``) passes the rule table, and Terraform's
plan then retries for many minutes against an endpoint that does not exist. botocore ships the partitions and
their regions as data; a region newer than the installed SDK is allowed with ``aws.allow_unlisted_region``.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import json


@functools.cache
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's ``endpoints.json`` (empty when it cannot be read)."""
    try:
        data = json.loads((importlib.resources.files("botocore") / "data" / "endpoints.json").read_text())
    except (ModuleNotFoundError, OSError, ValueError):
        return frozenset()
    return frozenset(region for partition in data.get("partitions", []) for region in partition.get("regions", {}))


def region_problem(
    region: str, allow_unlisted: bool, way_out: str | None = "set aws.allow_unlisted_region = true"
) -> str | None:
    """None when ``region`` is known (or unknown regions are allowed), else what to write instead."""
    regions = known_regions()
    if allow_unlisted or not regions or region in regions:
        return None
    close = difflib.get_close_matches(region, sorted(regions), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    newer = f" (for a region newer than the SDK, {way_out})" if way_out else ""
    return f"{region!r} is not an AWS region the installed AWS SDK knows; {hint.strip()}{newer}".rstrip()
