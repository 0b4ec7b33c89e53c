"""The external data program of a managed stack: it makes the Idura application Cognito-ready.

The stack runs the program exactly as the rendered HCL does: ``python3 -I -B <program folder>``, the
standard-library Python of ``idura_verify.program`` (hcl/program_source.py). It is a CDKTF asset of the stack: any
``app.synth()`` (the product's, or a team's own app) copies it to ``assets/idura_application_program/<hash>/``
next to ``cdk.tf.json``, so a synthesized stack folder runs on any machine with Python 3.9+. The asset is staged
from the program's files alone (never a ``__pycache__`` an import or a run left in the installed package), so the
synthesized stack depends only on its inputs. Management credentials and the allow-changes switch reach the
program through Terraform's environment, never through ``query``, which Terraform stores in state.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from idura_verify.program import environment

from ..encoding import template_literal
from ..hcl import program_source
from .bindings import DataExternal
from .cdk import AssetType, TerraformAsset, TerraformStack


@functools.cache  # one staged copy per process: every stack of an app shares it
def program_folder() -> str:
    """A folder holding exactly the program's files (the asset copies a whole folder, caches included), removed
    when the process ends: CDKTF copies it when the app synthesizes, in this process."""
    folder = Path(tempfile.mkdtemp(prefix="idura-cognito-program-"))
    atexit.register(shutil.rmtree, folder, True)
    for name, content in program_source.files().items():
        (folder / name).write_bytes(content)
    return str(folder)


#: The check every managed stack carries: a plan that found work at Idura says so, for people reading the plan
#: (deploy reads the program's result itself, plan_summary.py). In a CDKTF stack only `idura-cognito deploy` makes
#: those changes: the program there never follows the switch.
PENDING_CHECK = {
    "assert": [
        {
            "condition": '${data.external.idura_application.result.pending == ""}',
            "error_message": "Idura changes are pending; only `idura-cognito deploy` makes them (cdktf commands only "
            "read Idura): ${data.external.idura_application.result.pending}",
        }
    ]
}


def secret_gate_locals(deploy_command: str) -> dict[str, str]:
    """The module's gate (secret_escrow.tf): Cognito gets no empty secret. A run that may not change Idura and has
    no secret plans; its apply stops at this precondition of every managed resource before anything is created.
    timestamp() is unknown while planning, so that branch is decided only when applying."""
    return {
        "secret_ready": '${nonsensitive(sensitive(local.client_secret != "")) ? true : timestamp() == "never"}',
        "secret_gate_message": "No client secret for Cognito: changes at Idura are needed and in a CDKTF stack only "
        "`idura-cognito deploy` makes them (${data.external.idura_application.result.pending}). Run `"
        + template_literal(deploy_command)
        + "`: it shows the plan, asks, then makes them.",
    }


SECRET_GATE = [{"condition": "${local.secret_ready}", "error_message": "${local.secret_gate_message}"}]


def add_idura_application(
    stack: TerraformStack,
    *,
    idura_domain: str,
    client_id: str,
    application_name: str,
    redirect_urls: str,
    post_logout_urls: str = "[]",
    cognito_host: str,
) -> None:
    """``data.external.idura_application``: the program with the query keys it documents. Every string argument
    must already be template-escaped (``encoding.template_literal``)."""
    program = TerraformAsset(
        stack,
        "idura_application_program",
        path=program_folder(),
        type=AssetType.DIRECTORY,
        asset_hash=program_source.digest(),  # CDKTF's own hash depends on the order the disk lists the files
    )
    DataExternal(
        stack,
        "idura_application",
        # The flag: only a deploy grant lets the program change Idura here, never the switch (cdktf diff/deploy
        # plan and apply in one go; environment.DEPLOY_ONLY_FLAG).
        program=["python3", "-I", "-B", "${path.module}/" + program.path, environment.DEPLOY_ONLY_FLAG],
        query={
            "idura_domain": idura_domain,
            "client_id": client_id,
            "application_name": application_name,
            "redirect_uris": redirect_urls,
            # The clients' sign_out URLs, only when some client signs out (the query of other stacks is 0.3's).
            **({"post_logout_uris": post_logout_urls} if post_logout_urls != "[]" else {}),
            "cognito_host": cognito_host,
            # From data sources only: a reference to a resource would put the program off until the apply
            # whenever that resource changes (a tag edit) and show the secret as changing.
            "have_secret": '${local.escrow_has_secret ? "true" : "false"}',
            "escrowed_secret_id": "${local.escrowed_secret_id}",
        },
    )
