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

from constructs import Construct

from ..config.built_checks import check_built
from ..config.errors import ConfigError
from ..config.model import AppClientSettings, StackConfig
from ..definitions import addresses, managed_login, naming, sign_out
from ..definitions.addresses import USER_POOL, app_client
from ..definitions.escrow import READ_LOCALS
from ..definitions.outputs import ROOT_OUTPUTS
from ..encoding import template_value as literal
from .app_client import add_app_clients, add_resource_servers, hosted_login_urls, login_hint_urls
from .aws_provider import add_aws_provider, add_backend
from .bindings import DataAwsCognitoUserPool, ExternalProvider, managed_login_branding
from .cdk import CDK, App, TerraformOutput, TerraformStack
from .cdk_choice import recorded
from .domain import add_login_domain
from .external_program import PENDING_CHECK, SECRET_GATE, add_idura_application, secret_gate_locals
from .identity_provider import add_identity_provider
from .linking import add_linking_trigger
from .secret_escrow import add_escrow_lookup, add_escrow_writer
from .user_pool import add_user_pool


class IduraCognitoStack(TerraformStack):
    """One environment of ``idura-cognito.toml``: a Cognito user pool (or an existing one), its domain, Idura as
    OpenID Connect identity provider (and one per pinned eID), an app client for the code flow and the escrow of
    the Idura client secret. Managed mode also carries the external program as an asset of the stack, so
    whatever ``app.synth()`` writes is enough to deploy.

    Put it in your own CDKTF app next to your stacks and pass its properties to them::

        from cdktf import App
        from idura_cognito.stacks import IduraCognitoStack, load_config

        app = App()
        cognito = IduraCognitoStack(app, "cognito-dev", load_config("idura-cognito.toml").stack("dev"))
        MyApiStack(app, "api-dev", user_pool_id=cognito.user_pool_id)  # a cross-stack reference
        app.synth()

    Args:
        scope: the ``App`` (or another construct) the stack belongs to.
        id: the stack's name: CDKTF writes it to ``<outdir>/stacks/<id>/`` and ``cdktf deploy <id>`` deploys it.
        config: one environment of the config, ``load_config(path).stack(name)``.
        project_dir: the folder a relative ``backend.path`` is relative to. Default: the config file's folder.
        deploy_command: the command this stack's messages name for changes at Idura (managed mode; the cdktf
            CLI never makes them). Default: ``idura-cognito deploy --stack <env> --stack-dir <this stack's
            folder>``, which runs the folder your app synthesized.

    Raises:
        TypeError: ``config`` is not one environment (for example the whole ``ProjectConfig``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,  # noqa: A002 - the constructs convention
        config: StackConfig,
        *,
        project_dir: Path | None = None,
        deploy_command: str | None = None,
    ) -> None:
        _require_one_environment(config)
        check_built(config)  # a StackConfig built or changed in code meets the loader's rules
        _require_the_same_cdk(scope)
        _require_the_project_s_cdk(project_dir or config.project_dir or Path.cwd())
        super().__init__(scope, id)
        self._config = config
        self._existing_pool: Any = None
        stack_dir = Path(App.of(self).outdir) / "stacks" / id  # where Terraform runs: a local state is relative
        self._deploy_command = deploy_command or (
            f"idura-cognito deploy --stack {config.name} --stack-dir {_shown(stack_dir)}"
        )
        add_aws_provider(self, config)
        add_backend(self, config, stack_dir=stack_dir, project_dir=project_dir or config.project_dir or Path.cwd())
        tags = literal({**config.tags, **naming.MANAGED_BY_TAG})

        # The login chain: pool (or an existing one) -> domain -> Idura IdPs -> app client, and where the
        # client secret comes from (the program and escrow when managed, the escrow alone when hand-registered).
        # The pool's pre sign-up trigger: the linking function (one person, one user), or the team's own.
        pre_sign_up = (
            add_linking_trigger(self, config=config, tags=tags)
            if config.links_federated_users
            else literal(config.user_pool.pre_sign_up_lambda_arn)
        )
        self._user_pool = add_user_pool(self, config=config, tags=tags, pre_sign_up=pre_sign_up)
        user_pool_id = config.user_pool.existing_id if self._user_pool is None else USER_POOL.ref("id")
        add_login_domain(self, settings=config.domain, user_pool_id=user_pool_id)
        needs_styles = managed_login.needs_styles(config)
        branding = managed_login_branding() if needs_styles else None
        if needs_styles and branding is None:  # a StackConfig names no file: the error names the default one
            raise ConfigError(*managed_login.refusal(config, "CDKTF"))
        if config.idura.managed:
            self._add_idura_application(config, tags)
        else:
            self._add_hand_registered_secret(config)
        providers = self._add_identity_providers(config, user_pool_id)
        servers = add_resource_servers(self, config=config, user_pool_id=user_pool_id)
        self._app_clients = add_app_clients(
            self, config=config, user_pool_id=user_pool_id, providers=providers, resource_servers=servers
        )
        self._app_client = self._app_clients[config.app_client.key]
        if branding is not None:  # Cognito's default style for every client a person logs in to
            for client in managed_login.login_clients(config):
                branding(
                    self,
                    managed_login.PREFIX + client.terraform_name,
                    user_pool_id=user_pool_id,
                    client_id=app_client(client.terraform_name).ref("id"),
                    use_cognito_provided_values=True,
                )
        self.add_override("locals", self._locals(config, user_pool_id))
        if config.idura.managed:
            self._gate_on_the_secret(config)
        if config.domain.kind == "existing":
            self._check_the_domain_is_the_pools(config)
        self._add_outputs(config)
        self._moves_and_imports(config)

    # What other stacks need. A token (an id known only after the apply) works in any stack of the same app:
    # CDKTF turns a reference from another stack into an output here and a remote state read there.

    @property
    def config(self) -> StackConfig:
        """The environment this stack was built from."""
        return self._config

    @property
    def user_pool_id(self) -> str:
        """Id of the user pool: a token for a created pool, the configured id for an existing one."""
        if self._user_pool is None:
            return self._config.user_pool.existing_id or ""
        return self._user_pool.id

    @property
    def user_pool_arn(self) -> str:
        """ARN of the user pool. For an existing pool, the first use adds a ``data.aws_cognito_user_pool`` read
        (a stack whose ARN nobody asks for synthesizes without it)."""
        if self._user_pool is not None:
            return self._user_pool.arn
        return self._existing_pool_data().arn

    def _existing_pool_data(self) -> Any:
        """``data.aws_cognito_user_pool.existing_user_pool``, added once, on first use."""
        if self._existing_pool is None:
            self._existing_pool = DataAwsCognitoUserPool(
                self, "existing_user_pool", user_pool_id=literal(self._config.user_pool.existing_id or "")
            )
        return self._existing_pool

    @property
    def app_client_id(self) -> str:
        """Id of the first app client with a login (0.3's one client; a token)."""
        return self._app_client.id

    @property
    def app_client_ids(self) -> dict[str, str]:
        """Per client key: the app client's id (a token)."""
        return {key: client.id for key, client in self._app_clients.items()}

    @property
    def issuer(self) -> str:
        """Issuer of the tokens Cognito gives your applications: ``https://cognito-idp.<region>.amazonaws.com/<pool
        id>``, what an API's JWT authorizer checks."""
        return f"https://cognito-idp.{self._config.aws.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def hosted_login_urls(self) -> dict[str, str]:
        """Per identity provider name: a hosted login URL that starts that provider's login at once (the same
        URLs as the stack's ``hosted_login_urls`` output)."""
        return hosted_login_urls(self._config, self._config.app_client, self.app_client_id)

    @property
    def idura_redirect_url(self) -> str:
        """The redirect URL registered on the Idura application: ``https://<cognito host>/oauth2/idpresponse``."""
        return self._config.redirect_url

    @property
    def cognito_host(self) -> str:
        """The host of the Cognito domain (hosted login and token endpoints)."""
        return self._config.cognito_host

    @property
    def escrow_secret_name(self) -> str:
        """Name of the Secrets Manager secret that escrows the Idura client secret."""
        return self._config.escrow_name

    def _add_hand_registered_secret(self, config: StackConfig) -> None:
        missing = (
            f"No Idura client secret is escrowed for stack {config.name!r} (Secrets Manager secret "
            f"{config.escrow_name!r}). Store it once with: {config.secret_put_command()}"
        )
        add_escrow_lookup(self, name=literal(config.escrow_name), missing_message=literal(missing))

    def _add_identity_providers(self, config: StackConfig, user_pool_id: str) -> dict[str, str]:
        """Idura itself (the login page offers every eID) and one IdP per pinned eID, each with its own scopes and
        mapping; returns a reference to each one's ``provider_name``, by name."""
        resources = [addresses.IDURA_PROVIDER] + [
            addresses.identity_provider(eid.terraform_name) for eid in config.pinned_eids
        ]
        return {
            provider.name: add_identity_provider(
                self,
                resource,
                provider=provider,
                user_pool_id=user_pool_id,
                config=config,
                client_secret="${local.client_secret}",
            )
            for resource, provider in zip(resources, config.identity_providers, strict=True)
        }

    def _gate_on_the_secret(self, config: StackConfig) -> None:
        """Nothing managed is created before Cognito can get a client secret (the module's gate)."""
        ungated = (f"{addresses.APP_CLIENT.type}.", f"{addresses.RESOURCE_SERVER.type}.")  # they need no secret
        for address in addresses.resources(config):
            if not address.cdktf.startswith(ungated):
                self.add_override(f"resource.{address.cdktf}.lifecycle.precondition", SECRET_GATE)

    def _check_the_domain_is_the_pools(self, config: StackConfig) -> None:
        """The module's check (main.tf, domain_is_the_pools): an existing domain must be a domain of the existing
        pool, read from AWS, before its redirect URL is registered at Idura or used by the identity provider."""
        self._existing_pool_data()
        pool = "data.aws_cognito_user_pool.existing_user_pool"
        domain = json.dumps(literal(config.domain.existing))
        self.add_override("locals.existing_pool_domains", f"${{compact([{pool}.domain, {pool}.custom_domain])}}")
        self.add_override("locals.domain_is_the_pools", f"${{contains(local.existing_pool_domains, {domain})}}")
        message = (
            f"domain.existing = {json.dumps(literal(config.domain.existing))[1:-1]} is not a domain of user pool "
            f"{literal(config.user_pool.existing_id)} (its domains: ${{jsonencode(local.existing_pool_domains)}}): "
            "the stack registers its redirect URL at Idura only on the pool's own domain."
        )
        check = [{"condition": "${local.domain_is_the_pools}", "error_message": message}]
        if config.idura.managed:  # the program registers the URL while planning: it must not run
            self.add_override("data.external.idura_application.lifecycle.precondition", check)
        else:  # the identity provider would use it (a managed stack's carries the secret gate)
            self.add_override(f"resource.{addresses.IDURA_PROVIDER.address}.lifecycle.precondition", check)

    def _add_outputs(self, config: StackConfig) -> None:
        for output in ROOT_OUTPUTS:
            if output.name == "idura_application_id" and not config.idura.managed:
                continue  # null without the program: Terraform stores no null output (and the cdktf CLI chokes)
            TerraformOutput(
                self,
                output.name,
                value="${" + output.value + "}",
                description=output.description,
                sensitive=output.sensitive or None,
            )

    def _add_idura_application(self, config: StackConfig, tags: dict[str, str]) -> None:
        ExternalProvider(self, "external")
        add_escrow_lookup(self, name=literal(config.escrow_name))
        add_idura_application(
            self,
            idura_domain=config.idura.domain,
            client_id=literal(config.idura.client_id),
            application_name=literal(config.idura.application_name),
            redirect_urls=literal(json.dumps([config.redirect_url])),
            post_logout_urls=literal(json.dumps(list(sign_out.post_logout_urls(config)))),
            cognito_host=literal(config.cognito_host),
        )
        add_escrow_writer(
            self,
            name=literal(config.escrow_name),
            description=literal(
                f"Idura client secret of {config.idura.client_id} on {config.idura.domain} (managed by idura-cognito)"
            ),
            kms_key_id=literal(config.escrow.kms_key_id),
            tags=tags,
        )
        self.add_override("check.idura_changes", PENDING_CHECK)

    def _locals(self, config: StackConfig, user_pool_id: str) -> dict[str, Any]:
        """The locals the module defines and the outputs (and escrow expressions) refer to."""
        managed = config.idura.managed
        issued = "data.external.idura_application.result.client_secret" if managed else '""'
        first = config.app_client
        return {
            "user_pool_id": user_pool_id,
            "app_client_id": app_client(first.terraform_name).ref("id"),
            "redirect_url": literal(config.redirect_url),
            "aws_region": literal(config.aws.region),
            "idura_issuer": literal(config.idura.issuer),
            "escrow_name": literal(config.escrow_name),
            "cognito_host": literal(config.cognito_host),
            # The records a custom domain needs in its DNS zone; a list, empty otherwise (the cdktf CLI cannot read
            # a null output after a deploy).
            "domain_dns_records": [
                {
                    "name": literal(config.domain.custom),
                    "type": literal(record),
                    "alias_name": addresses.DOMAIN.ref("cloudfront_distribution"),
                    "alias_zone_id": addresses.DOMAIN.ref("cloudfront_distribution_zone_id"),
                }
                for record in (("A", "AAAA") if config.domain.kind == "custom" else ())
            ],
            "hosted_login_urls": _template_keys(
                hosted_login_urls(config, first, app_client(first.terraform_name).ref("id"))
            ),
            "login_hint_urls": _template_keys(
                login_hint_urls(config, first, app_client(first.terraform_name).ref("id"))
            ),
            "app_clients_output": {client.key: _client_output(config, client) for client in config.app_clients},
            "app_client_secrets": {
                c.key: f"${{sensitive({app_client(c.terraform_name).address}.client_secret)}}"
                for c in config.app_clients
                if c.generate_secret
            },
            # null when hand-registered (a None would drop the local; an expression keeps it).
            "idura_application_id": (
                "${data.external.idura_application.result.application_id}" if managed else "${tostring(null)}"
            ),
            **READ_LOCALS,
            "client_secret": f"${{sensitive(length({issued}) >= 1 ? {issued} : local.escrowed_secret)}}",
            **(secret_gate_locals(self._deploy_command) if managed else {}),
        }

    def _moves_and_imports(self, config: StackConfig) -> None:
        found = addresses.resources(config)
        # From the rendered HCL's addresses: a state applied from HCL plans here with zero replacements; a client
        # renamed in the config moves from its old name (its id stays).
        self.add_override("moved", [{"from": f, "to": t} for f, t in addresses.moves_into_cdktf(config)])
        imports = [{"to": a.cdktf, "id": literal(a.import_id)} for a in found if a.import_id]
        if imports:
            self.add_override("import", imports)


def _client_output(config: StackConfig, client: AppClientSettings) -> dict[str, Any]:
    """One entry of the ``app_clients`` output, as the module's local builds it."""
    client_id = app_client(client.terraform_name).ref("id")
    return {
        "id": client_id,
        "name": literal(client.name),
        "identity_providers": literal(list(config.offered_providers(client))),
        "hosted_login_urls": _template_keys(hosted_login_urls(config, client, client_id)),
        "sign_out_url": sign_out.sign_out_url(config, client, client_id) or "${tostring(null)}",
    }


def _shown(folder: Path) -> str:
    """The folder as a user types it: relative to the working folder when inside it (cdktf runs the app there)."""
    try:
        return str(folder.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(folder)


def _require_one_environment(config: object) -> None:
    if not isinstance(config, StackConfig):
        raise TypeError(
            f"IduraCognitoStack: config must be one environment, load_config(path).stack(name); got "
            f"{type(config).__name__}"
        )


def _require_the_project_s_cdk(folder: Path) -> None:
    """The project records the CDK it runs on (cdk_choice.py): a team's app on the other one is refused."""
    wanted = recorded(folder)
    if wanted is not None and wanted != CDK.name:
        raise TypeError(
            f"IduraCognitoStack: this project runs on {wanted} ({folder / 'cdktf.json'}, context "
            f"idura-cognito:cdk), but this app runs on {CDK.name}: use that CDK, or move the project on purpose "
            "(docs/migrating.md)"
        )


def _require_the_same_cdk(scope: Construct) -> None:
    """A team's app and this stack must come from one CDK: jsii cannot mix CDKTF's and CDK Terrain's constructs."""
    root = scope.node.root
    if not isinstance(root, App):
        theirs = type(root).__module__.split(".")[0]
        raise TypeError(
            f"IduraCognitoStack: the app is a {theirs} App but idura-cognito runs on {CDK.core} here: take App "
            f"from idura_cognito.stacks, or set IDURA_COGNITO_CDK={'cdktf' if theirs == 'cdktf' else 'cdk-terrain'}"
        )


def _template_keys(urls: dict[str, str]) -> dict[str, str]:
    """A map for Terraform JSON: its keys (identity provider names, from the config) are templates there too, so
    they pass the encoder; the values are built escaped already."""
    return {literal(name): url for name, url in urls.items()}
