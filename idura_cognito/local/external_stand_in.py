"""STAND-IN for the hashicorp/external provider, for offline machines only (tests, `idura-cognito demo`).

The real provider comes from the registry; a machine that cannot reach it (this project's CI image) cannot run
managed mode without a substitute. This is that substitute, clearly named wherever it is used.

Implements the provider's published protocol for ``data "external"`` on the PyPI package ``tf``: run
``program`` (not through a shell; the first element looked up on PATH) in ``working_dir`` with Terraform's
environment, write ``query`` as one JSON object to its stdin, and expect one JSON object of strings on stdout
and exit 0. A non-zero exit fails with the program's stderr, as the real provider does. Users get the real
provider from the registry; only a filesystem mirror made by ``install_stand_in`` (tests, demo) holds this one.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

VERSION = "2.3.5"


def _provider():
    from tf import schema, types
    from tf.iface import DataSource, Provider

    class ExternalDataSource(DataSource):
        @classmethod
        def get_name(cls) -> str:
            return "external"

        @classmethod
        def get_schema(cls):
            return schema.Schema(
                attributes=[
                    schema.Attribute("program", types.List(types.String()), required=True),
                    schema.Attribute("query", types.Map(types.String()), optional=True),
                    schema.Attribute("working_dir", types.String(), optional=True),
                    schema.Attribute("id", types.String(), computed=True),
                    schema.Attribute("result", types.Map(types.String()), computed=True),
                ]
            )

        def __init__(self, *args) -> None:
            pass

        def read(self, ctx, config):
            program = list(config.get("program") or [])
            query = dict(config.get("query") or {})
            if not program or not program[0]:
                ctx.diagnostics.add_error(
                    "External Program Missing", "The data source was configured without a program."
                )
                return None
            executable = shutil.which(program[0]) or program[0]
            try:
                process = subprocess.run(
                    [executable, *program[1:]],
                    input=json.dumps(query),
                    capture_output=True,
                    text=True,
                    cwd=config.get("working_dir") or None,
                )
            except OSError as exc:
                ctx.diagnostics.add_error("External Program Lookup Failed", f"Program: {program[0]}\nError: {exc}")
                return None
            if process.returncode != 0:
                ctx.diagnostics.add_error(
                    "External Program Execution Failed",
                    "The data source received an unexpected error while attempting to execute the program.\n\n"
                    f"Program: {executable}\nError Message: {process.stderr.strip()}\n"
                    f"State: exit status {process.returncode}",
                )
                return None
            try:
                result = json.loads(process.stdout)
                if not isinstance(result, dict) or not all(isinstance(v, str) for v in result.values()):
                    raise ValueError("not an object of strings")
            except ValueError as exc:
                ctx.diagnostics.add_error(
                    "Unexpected External Program Results",
                    "The data source received unexpected results after executing the program.\n\n"
                    "Program output must be a JSON encoded map of string keys and string values.\n\n"
                    f"Program: {executable}\nResult Error: {exc}",
                )
                return None
            return {**config, "id": "-", "result": result}

    class ExternalProvider(Provider):
        def get_model_prefix(self) -> str:
            return ""

        def full_name(self) -> str:
            return "registry.terraform.io/hashicorp/external"

        def get_provider_schema(self, diags):
            return schema.Schema(attributes=[])

        def validate_config(self, diags, config) -> None:
            pass

        def configure_provider(self, diags, config) -> None:
            pass

        def get_data_sources(self):
            return [ExternalDataSource]

        def get_resources(self):
            return []

    return ExternalProvider()


def install_stand_in(mirror: Path) -> Path:
    """Put an executable wrapper into ``mirror`` (unpacked filesystem-mirror layout) and return the mirror."""
    target = mirror / "registry.terraform.io" / "hashicorp" / "external" / VERSION / "linux_amd64"
    target.mkdir(parents=True, exist_ok=True)
    wrapper = target / f"terraform-provider-external_v{VERSION}"
    wrapper.write_text(
        "#!/bin/sh\n# STAND-IN for hashicorp/external on offline machines, built on the PyPI package `tf`.\n"
        f'exec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return mirror


if __name__ == "__main__":
    from tf.runner import run_provider

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    run_provider(_provider(), sys.argv)
