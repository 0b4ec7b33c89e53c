"""One environment of the config as one CDKTF stack: pool, domain, Idura IdPs, app client, outputs."""

from __future__ import annotations

from urllib.parse import quote

from cdktf import Fn, Op, TerraformOutput, TerraformStack, Token
from constructs import Construct

from ..config.model import StackConfig
from .app_client import CodeFlowAppClient
from .aws_provider import add_aws_provider, add_backend
from .bindings import ExternalProvider
from .domain import LoginDomain
from .identity_provider import IduraIdentityProvider
from .idura_application import IduraApplication
from .secret_escrow import EscrowedSecret, EscrowWriter
from .user_pool import EidUserPool


class IduraCognitoStack(TerraformStack):
    def __init__(self, scope: Construct, config: StackConfig) -> None:
        super().__init__(scope, config.name)
        add_aws_provider(self, config)
        add_backend(self, config)

        pool = EidUserPool(
            self, "user_pool", settings=config.user_pool, identity_provider=config.identity_provider
        )
        LoginDomain(self, "domain", settings=config.domain, user_pool_id=pool.user_pool_id)
        client_secret = self._client_secret(config)
        pins = [("idura", config.identity_provider.name, None)]
        pins += [(eid.terraform_name, eid.name, eid.acr) for eid in config.pinned_eids]
        providers = [
            IduraIdentityProvider(
                self,
                resource_name,
                name=name,
                user_pool_id=pool.user_pool_id,
                idura=config.idura,
                settings=config.identity_provider,
                client_secret=client_secret,
                acr=acr,
            )
            for resource_name, name, acr in pins
        ]
        client = CodeFlowAppClient(
            self,
            "app_client",
            settings=config.app_client,
            user_pool_id=pool.user_pool_id,
            identity_providers=[p.provider_name for p in providers],
        )
        self._outputs(config, pool.user_pool_id, client.client_id)

    def _client_secret(self, config: StackConfig) -> str:
        """The secret every IdP gets, always as a sensitive expression."""
        if not config.idura.managed:
            missing = (
                f"No Idura client secret is escrowed for stack {config.name!r} (Secrets Manager secret "
                f"{config.escrow_name!r}). Store it once with: {config.secret_put_command()}"
            )
            return EscrowedSecret(self, "escrow", name=config.escrow_name, missing_message=missing).value
        ExternalProvider(self, "external")
        escrow = EscrowedSecret(self, "escrow", name=config.escrow_name, read_secret_id=True)
        application = IduraApplication(
            self,
            "idura_application",
            config=config,
            have_secret=escrow.exists,
            escrowed_secret_id=escrow.secret_id,
        )
        # The secret issued in this run if any, else the escrowed one. A conditional, not coalesce(), which
        # fails when both are empty. (`>= 1`: cdktf's Op drops falsy literals such as 0 and "".)
        issued = application.issued_secret
        secret = Token.as_string(
            Fn.sensitive(Fn.conditional(Op.gte(Fn.length_of(issued), 1), issued, escrow.value))
        )
        EscrowWriter(
            self,
            "escrow_writer",
            name=config.escrow_name,
            secret=secret,
            secret_id=application.secret_id,
            description=f"Idura client secret of {config.idura.client_id} on {config.idura.domain} "
            "(managed by idura-cognito)",
        )
        TerraformOutput(
            self,
            "idura_application_id",
            value=application.application_id,
            description="Id of the application at Idura.",
        )
        return secret

    def _outputs(self, config: StackConfig, user_pool_id: str, client_id: str) -> None:
        region = config.aws.region
        outputs = {
            "user_pool_id": (user_pool_id, "Id of the Cognito user pool."),
            "app_client_id": (client_id, "Id of the Cognito app client for the code flow."),
            "idura_redirect_url": (
                config.redirect_url,
                "Register this redirect URL on the Idura application.",
            ),
            "issuer": (
                f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}",
                "Issuer of the tokens Cognito gives your applications.",
            ),
            "idura_issuer": (config.idura.issuer, "Issuer Cognito trusts for Idura logins."),
            "escrow_secret_name": (
                config.escrow_name,
                "Secrets Manager secret that escrows the client secret.",
            ),
            "hosted_login_urls": (
                {name: hosted_login_url(config, name, client_id) for name in config.idp_names},
                "Per identity provider: a hosted login URL that starts that provider's login at once.",
            ),
        }
        for name, (value, description) in outputs.items():
            TerraformOutput(self, name, value=value, description=description)


def hosted_login_url(config: StackConfig, idp_name: str, client_id: str) -> str:
    """Cognito's authorize endpoint with ``identity_provider`` set, so Cognito skips its own page."""
    query = "&".join(
        f"{key}={value}"
        for key, value in (
            ("identity_provider", quote(idp_name, safe="")),
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", quote(config.app_client.callback_urls[0], safe="")),
            ("scope", quote(" ".join(config.app_client.oauth_scopes), safe="")),
        )
    )
    return f"https://{config.cognito_host}/oauth2/authorize?{query}"
