"""One environment of the config as one CDKTF stack: pool, domain, Idura IdPs, app client, escrow, outputs.

Every string from the config reaches the synthesized JSON through ``template_literal`` (Terraform reads JSON
strings as templates: ``${`` in a name must not become an interpolation). The stack defines the locals the
module defines, so outputs share one definition (definitions/outputs.py); it carries ``moved`` blocks from the
rendered HCL's addresses and, for an adopted setup, ``import`` blocks.

Each concept (user_pool.py, domain.py, ...) is a function that adds its resources to this stack under their
Terraform names (definitions/addresses.py), not a nested construct: every construct is a round trip to jsii's
node process, and a nested resource gets a hashed name that takes another round trip to override. References
between resources are written as expressions (``USER_POOL.ref("id")``) for the same reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from ..config.model import StackConfig
from ..definitions import addresses, naming
from ..definitions.outputs import ROOT_OUTPUTS
from ..hcl.values import template_value as literal
from .app_client import add_app_client
from .aws_provider import add_aws_provider, add_backend
from .bindings import ExternalProvider
from .domain import add_login_domain
from .identity_provider import add_identity_provider
from .idura_application import PENDING_CHECK, SECRET_GATE, SECRET_GATE_LOCALS, add_idura_application
from .secret_escrow import READ_LOCALS, add_escrow_lookup, add_escrow_writer
from .user_pool import add_user_pool


class IduraCognitoStack(TerraformStack):
    def __init__(self, scope: Construct, config: StackConfig, *, stack_dir: Path, project_dir: Path) -> None:
        super().__init__(scope, config.name)
        add_aws_provider(self, config)
        add_backend(self, config, stack_dir=stack_dir, project_dir=project_dir)
        tags = literal({**config.tags, **naming.MANAGED_BY_TAG})

        user_pool_id = add_user_pool(self, config=config, tags=tags)
        add_login_domain(self, settings=config.domain, user_pool_id=user_pool_id)
        if config.idura.managed:
            ExternalProvider(self, "external")
            add_escrow_lookup(self, name=literal(config.escrow_name))
            add_idura_application(
                self,
                idura_domain=config.idura.domain,
                client_id=literal(config.idura.client_id),
                application_name=literal(config.idura.application_name),
                redirect_urls=literal(json.dumps([config.redirect_url])),
                cognito_host=literal(config.cognito_host),
            )
            add_escrow_writer(
                self,
                name=literal(config.escrow_name),
                description=literal(
                    f"Idura client secret of {config.idura.client_id} on {config.idura.domain} "
                    "(managed by idura-cognito)"
                ),
                kms_key_id=literal(config.escrow.kms_key_id),
                tags=tags,
            )
            self.add_override("check.idura_changes", PENDING_CHECK)
        else:
            missing = (
                f"No Idura client secret is escrowed for stack {config.name!r} (Secrets Manager secret "
                f"{config.escrow_name!r}). Store it once with: {config.secret_put_command()}"
            )
            add_escrow_lookup(self, name=literal(config.escrow_name), missing_message=literal(missing))

        pins = [(addresses.IDURA_PROVIDER, config.identity_provider.name, None)]
        pins += [(addresses.identity_provider(eid.terraform_name), eid.name, eid.acr) for eid in config.pinned_eids]
        provider_names = [
            add_identity_provider(
                self,
                resource,
                name=literal(name),
                user_pool_id=user_pool_id,
                config=config,
                client_secret="${local.client_secret}",
                acr=acr,
            )
            for resource, name, acr in pins
        ]
        client_id = add_app_client(self, config=config, user_pool_id=user_pool_id, identity_providers=provider_names)
        self.add_override("locals", self._locals(config, user_pool_id, client_id))
        if config.idura.managed:
            for address in addresses.resources(config):
                if address.cdktf != addresses.APP_CLIENT.address:  # it depends on the providers
                    self.add_override(f"resource.{address.cdktf}.lifecycle.precondition", SECRET_GATE)
        for output in ROOT_OUTPUTS:
            if output.name == "idura_application_id" and not config.idura.managed:
                continue  # null without the program: Terraform stores no null output (and the cdktf CLI chokes)
            TerraformOutput(self, output.name, value="${" + output.value + "}", description=output.description)
        self._moves_and_imports(config)

    def _locals(self, config: StackConfig, user_pool_id: str, client_id: str) -> dict[str, Any]:
        """The locals the module defines and the outputs (and escrow expressions) refer to."""
        managed = config.idura.managed
        issued = "data.external.idura_application.result.client_secret" if managed else '""'
        return {
            "user_pool_id": user_pool_id,
            "app_client_id": client_id,
            "redirect_url": literal(config.redirect_url),
            "aws_region": literal(config.aws.region),
            "idura_issuer": literal(config.idura.issuer),
            "escrow_name": literal(config.escrow_name),
            "idp_names": literal(list(config.idp_names)),
            "cognito_host": literal(config.cognito_host),
            "callback_url": literal(config.app_client.callback_urls[0]),
            "oauth_scopes": literal(list(config.app_client.oauth_scopes)),
            # null when hand-registered (a None would drop the local; an expression keeps it).
            "idura_application_id": (
                "${data.external.idura_application.result.application_id}" if managed else "${tostring(null)}"
            ),
            **READ_LOCALS,
            "client_secret": f"${{sensitive(length({issued}) >= 1 ? {issued} : local.escrowed_secret)}}",
            **(SECRET_GATE_LOCALS if managed else {}),
        }

    def _moves_and_imports(self, config: StackConfig) -> None:
        found = addresses.resources(config)
        # From the rendered HCL's addresses: a state applied from HCL plans here with zero replacements.
        self.add_override("moved", [{"from": a.hcl, "to": a.cdktf} for a in found])
        imports = [{"to": a.cdktf, "id": literal(a.import_id)} for a in found if a.import_id]
        if imports:
            self.add_override("import", imports)
