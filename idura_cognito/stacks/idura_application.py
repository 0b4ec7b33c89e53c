"""The Idura application, made Cognito-ready by the external data program (managed mode).

The stack runs the program exactly as the rendered HCL does: ``python3 -I <program folder>``, the module's
``program/`` folder of standard-library Python (hcl/program_source.py). It is a CDKTF asset of the stack: any
``app.synth()`` (the product's, or a team's own app) copies it to ``assets/idura_application/<hash>/`` next to
``cdk.tf.json``, so a synthesized stack folder runs on any machine with Python 3.9+. Management credentials and
the allow-changes switch reach the program through Terraform's environment, never through ``query``, which
Terraform stores in state.
"""

from __future__ import annotations

import importlib.resources

from cdktf import AssetType, TerraformAsset, TerraformStack

from ..hcl import program_source
from .bindings import DataExternal


def program_folder() -> str:
    """The module's program folder as installed with the package (a real folder: the asset copies it)."""
    module = importlib.resources.files("idura_cognito") / "terraform_module"
    return str(module / "modules" / "idura-application" / program_source.FOLDER)


PENDING_CHECK = {
    "assert": [
        {
            "condition": '${data.external.idura_application.result.pending == ""}',
            "error_message": "Idura changes are pending; only a run with IDURA_MANAGEMENT_ALLOW_CHANGES makes "
            "them: ${data.external.idura_application.result.pending}",
        }
    ]
}


#: The module's gate (secret_escrow.tf): Cognito gets no empty secret. A run that may not change Idura and has no
#: secret plans; its apply stops at this precondition of every managed resource before anything is created.
#: timestamp() is unknown while planning, so that branch is decided only when applying.
SECRET_GATE_LOCALS = {
    "secret_ready": '${nonsensitive(sensitive(local.client_secret != "")) ? true : timestamp() == "never"}',
    "secret_gate_message": "No client secret for Cognito: changes at Idura are needed and this run may not make "
    "them (${data.external.idura_application.result.pending}). Run `idura-cognito deploy`, or set "
    "IDURA_MANAGEMENT_ALLOW_CHANGES=true for the run that applies.",
}
SECRET_GATE = [{"condition": "${local.secret_ready}", "error_message": "${local.secret_gate_message}"}]


def add_idura_application(
    stack: TerraformStack,
    *,
    idura_domain: str,
    client_id: str,
    application_name: str,
    redirect_urls: str,
    cognito_host: str,
) -> None:
    """``data.external.idura_application``: the program with the query keys it documents. Every string argument
    must already be template-escaped (``values.template_literal``)."""
    program = TerraformAsset(stack, "idura_application_program", path=program_folder(), type=AssetType.DIRECTORY)
    DataExternal(
        stack,
        "idura_application",
        program=["python3", "-I", "${path.module}/" + program.path],
        query={
            "idura_domain": idura_domain,
            "client_id": client_id,
            "application_name": application_name,
            "redirect_uris": redirect_urls,
            "cognito_host": cognito_host,
            # From data sources only: a reference to a resource would put the program off until the apply
            # whenever that resource changes (a tag edit) and show the secret as changing.
            "have_secret": '${local.escrow_has_secret ? "true" : "false"}',
            "escrowed_secret_id": "${local.escrowed_secret_id}",
        },
    )
