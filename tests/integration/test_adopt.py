"""Adopting a login built by hand, the way Idura's Cognito guide describes it: a user pool with users, a domain,
an OIDC provider named "Idura", an app client, and an application registered in Idura's dashboard.

`idura-cognito adopt` escrows the secret Cognito holds and writes the import table; the first plan imports and
at most updates in place (nothing replaced or destroyed); after the apply a login works, the user is still there,
and the next plan has no changes. moto refuses a second provider with the same name, as Cognito does, so nothing
here passes on moto's leniency.
"""

from __future__ import annotations

import ssl
import tomllib

import pytest

from idura_cognito.login import login
from tests.conftest import run_cli, write_config
from tests.support.stacks import one_stack_config

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 25  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

STACK = "adopt"
REALM = "urn:idura:test:adopt"
SECRET = "hand+made/secret+from/the+dashboard0123456="


def test_moto_refuses_a_second_provider_with_the_same_name_as_cognito_does(boto):
    cognito = boto("cognito-idp")
    pool = cognito.create_user_pool(PoolName="duplicate-provider")["UserPool"]["Id"]  # its own: others share pools
    details = {"client_id": "x", "client_secret": "y", "authorize_scopes": "openid", "oidc_issuer": "https://a.b"}
    cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="Twice", ProviderType="OIDC", ProviderDetails=details
    )
    with pytest.raises(cognito.exceptions.ClientError, match="DuplicateProviderException"):
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName="Twice", ProviderType="OIDC", ProviderDetails=details
        )
    assert [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool)["Providers"]] == ["Twice"]


@pytest.fixture(scope="module")
def adopted(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    root = tmp_path_factory.mktemp("adopt")
    cognito = boto("cognito-idp")
    # The guide, by hand: no required attribute, a domain, the Idura provider, an app client offering it.
    pool = cognito.create_user_pool(PoolName="acme-adopt", UsernameConfiguration={"CaseSensitive": False})
    pool_id = pool["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="acme-adopt", UserPoolId=pool_id)
    redirect = "https://acme-adopt.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Idura",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": REALM,
            "client_secret": SECRET,
            "authorize_scopes": "openid",
            "oidc_issuer": f"https://{idura.domain}",
            "attributes_request_method": "GET",
        },
        AttributeMapping={"username": "sub"},
    )
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="acme-web",
        SupportedIdentityProviders=["Idura"],
        CallbackURLs=["https://app.acme.com/callback"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]
    idura_admin.register(REALM, SECRET, [redirect])
    cognito.admin_create_user(UserPoolId=pool_id, Username="existing-user")

    config = one_stack_config(
        idura.domain,
        STACK,
        secret_source="hand-registered",
        app_client={"name": "acme-web", "callback_urls": ["https://app.acme.com/callback"]},
    )
    config["stacks"][STACK]["idura"]["client_id"] = REALM
    path = write_config(root / "idura-cognito.toml", config)
    env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}

    def cli(*args):
        return run_cli(*args, "--config", str(path), env=env, cwd=root)

    r = {"pool_id": pool_id, "client_id": client["ClientId"], "root": root}
    r["adopt"] = cli("adopt", "--stack", STACK, "--user-pool-id", pool_id, "--write-config")
    r["config_after"] = tomllib.loads(path.read_text())
    r["escrow"] = boto("secretsmanager").get_secret_value(SecretId=_escrow(path))["SecretString"]
    # The first plan after adoption is the one deploy shows (Terraform's plan, then the summary) and applies.
    r["deploy"] = cli("deploy", "--stack", STACK, "--auto-approve")
    details = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Idura")
    verify = ssl.create_default_context(cafile=idura.ca_file)
    r["login"] = login(details["IdentityProvider"]["ProviderDetails"], redirect, verify=verify)
    r["user"] = cognito.admin_get_user(UserPoolId=pool_id, Username="existing-user")["Username"]
    r["pools_named"] = [p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "acme-adopt"]
    r["providers"] = [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool_id)["Providers"]]
    r["clients"] = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    r["second_plan"] = cli("plan", "--stack", STACK, "--detailed-exitcode")
    return r


def _escrow(path):
    from idura_cognito.config import load_config

    return load_config(path).stack(STACK).escrow_name


def test_adopt_escrows_the_secret_cognito_holds_without_printing_it(adopted):
    assert adopted["adopt"].returncode == 0, adopted["adopt"].stderr
    assert adopted["escrow"] == '{"client_secret": "' + SECRET + '"}'
    assert SECRET not in adopted["adopt"].stdout + adopted["adopt"].stderr
    assert adopted["config_after"]["stacks"][STACK]["adopt"] == {
        "user_pool_id": adopted["pool_id"],
        "domain": "acme-adopt",
        "identity_providers": ["Idura"],
        "app_client_id": adopted["client_id"],
    }


def test_the_first_plan_imports_and_replaces_or_destroys_nothing(adopted):
    plan = adopted["deploy"]
    assert plan.returncode == 0, plan.stderr
    assert "Terraform will perform the following actions:" in plan.stdout
    assert "Summary: 0 to add, " in plan.stderr and ", 0 to destroy, 4 to import" in plan.stderr
    assert "must be replaced" not in plan.stdout and "will be destroyed" not in plan.stdout
    assert "USER POOL" not in plan.stderr


def test_after_the_apply_a_login_works_and_the_users_are_still_there(adopted):
    assert adopted["deploy"].returncode == 0, adopted["deploy"].stderr[-2000:]
    assert adopted["login"]["sub"].startswith("{")
    assert adopted["user"] == "existing-user"
    assert len(adopted["pools_named"]) == 1
    assert adopted["providers"] == ["Idura"] and len(adopted["clients"]) == 1  # no second provider or client


def test_the_next_plan_has_no_changes(adopted):
    second = adopted["second_plan"]
    assert second.returncode == 0, second.stdout[-3000:]
    assert "Summary: 0 to add, 0 to change, 0 to destroy" in second.stderr


def test_adopting_refuses_with_the_lines_to_change_when_something_would_be_replaced(
    adopted, moto, idura, cli_config, tmp_path
):
    config = one_stack_config(idura.domain, "adopt-wrong", secret_source="hand-registered")
    config["stacks"]["adopt-wrong"]["idura"]["client_id"] = REALM
    path = write_config(tmp_path / "idura-cognito.toml", config)
    result = run_cli(
        "adopt",
        "--stack",
        "adopt-wrong",
        "--user-pool-id",
        adopted["pool_id"],
        "--config",
        str(path),
        env=idura.environment(),
    )
    assert result.returncode == 1
    assert 'user_pool.name = "acme-adopt"  # a new name would replace the pool' in result.stderr
    assert 'domain.prefix = "acme-adopt"  # the pool\'s domain' in result.stderr
    assert "Change these in stacks.adopt-wrong first (nothing was written)" in result.stderr
