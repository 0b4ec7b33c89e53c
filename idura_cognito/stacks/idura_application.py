"""The Idura application, made Cognito-ready on every plan by the external data program (managed mode)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cdktf import Fn, Token
from constructs import Construct

import idura_verify

from ..config.model import StackConfig
from .bindings import DataExternal

#: providers/idura/idura_application.py: stdlib + httpx only, run by Terraform as `<python> <path>`.
PROGRAM = Path(idura_verify.__file__).resolve().parent / "idura_application.py"


class IduraApplication(Construct):
    """``data "external"`` running the program with the query keys it documents.

    The interpreter is the one running the synth (it has httpx); the synthesized stack therefore runs on the
    machine that synthesized it, like CDKTF's local state path. Management credentials reach the program
    through Terraform's environment (IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN), never through ``query``,
    which Terraform stores in state.
    """

    def __init__(
        self, scope: Construct, id_: str, *, config: StackConfig, have_secret: object, escrowed_secret_id: str
    ) -> None:
        super().__init__(scope, id_)
        data = DataExternal(
            self,
            "program",
            program=[sys.executable, str(PROGRAM)],
            query={
                "idura_domain": config.idura.domain,
                "client_id": config.idura.client_id,
                "application_name": config.idura.application_name,
                "redirect_uris": json.dumps([config.redirect_url]),
                "have_secret": Token.as_string(Fn.conditional(have_secret, "true", "false")),
                "escrowed_secret_id": escrowed_secret_id,
            },
        )
        data.override_logical_id("idura_application")
        #: "" unless the program issued a secret in this run.
        self.issued_secret: str = data.result.lookup("client_secret")
        self.secret_id: str = data.result.lookup("secret_id")
        self.application_id: str = data.result.lookup("application_id")
