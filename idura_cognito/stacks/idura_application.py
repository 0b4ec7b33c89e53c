"""The Idura application, made Cognito-ready by the external data program (managed mode).

The stack runs the program exactly as the rendered HCL does: ``python3 -I <stack folder>/bin/
idura_application.pyz`` (the zipapp carrying httpx, copied next to the synthesized stack), so a synthesized
stack folder runs on any machine with Python 3.9+. Management credentials and the allow-changes switch reach
the program through Terraform's environment, never through ``query``, which Terraform stores in state.
"""

from __future__ import annotations

from cdktf import TerraformStack

from ..definitions.addresses import ESCROW_SECRET
from .bindings import DataExternal

#: Where the program sits, relative to the synthesized stack folder (and to the rendered submodule).
PROGRAM_PATH = "bin/idura_application.pyz"
PENDING_CHECK = {
    "assert": [
        {
            "condition": '${data.external.idura_application.result.pending == ""}',
            "error_message": "Idura changes are pending; only a run with IDURA_MANAGEMENT_ALLOW_CHANGES makes "
            "them: ${data.external.idura_application.result.pending}",
        }
    ]
}


def add_idura_application(
    stack: TerraformStack, *, idura_domain: str, client_id: str, application_name: str, redirect_urls: str
) -> None:
    """``data.external.idura_application``: the program with the query keys it documents. Every string argument
    must already be template-escaped (``values.template_literal``)."""
    DataExternal(
        stack,
        "idura_application",
        program=["python3", "-I", "${path.module}/" + PROGRAM_PATH],
        query={
            "idura_domain": idura_domain,
            "client_id": client_id,
            "application_name": application_name,
            "redirect_uris": redirect_urls,
            "have_secret": '${local.escrow_has_secret ? "true" : "false"}',
            "escrowed_secret_id": "${local.escrowed_secret_id}",
            "escrow_arn": ESCROW_SECRET.ref("arn"),
        },
    )
