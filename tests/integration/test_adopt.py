"""Adopting a login built by hand, the way Idura's Cognito guide describes it: a user pool with users, a domain,
an OIDC provider named "Idura", an app client, and an application registered in Idura's dashboard.

`idura-cognito adopt` escrows the secret Cognito holds and writes the import table; the first plan imports and
at most updates in place (nothing replaced or destroyed); after the apply a login works, the user is still there,
and the next plan has no changes. moto refuses a second provider with the same name, as Cognito does, so nothing
here passes on moto's leniency.
"""

from __future__ import annotations

import json
import ssl
import tomllib

import pytest

from idura_cognito.local.federated_login import login
from tests.support.cli import run_cli
from tests.support.config import one_stack_config, write_config
from tests.support.secrets import assert_not_shown
from tests.support.terraform import TerraformDir

pytestmark = pytest.mark.terraform
SCENARIO_SECONDS = 25  # measured on 2 cores; the heaviest files are scheduled first (tests/conftest.py)

STACK = "adopt"
REALM = "urn:idura:test:adopt"
SECRET = "hand+made/secret+from/the+dashboard0123456="

TEAM_TRIGGER = "arn:aws:lambda:eu-north-1:123456789012:function:acme-pre-sign-up"


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
    """A login built in the console the way Idura's guide describes, with what console users also switch on: self
    sign-up, optional MFA with authenticator apps, verified email, managed login (version 2), token lifetimes in
    minutes, the SRP and password flows, a mapped custom attribute, Cognito's own login next to Idura's."""
    root = tmp_path_factory.mktemp("adopt")
    cognito = boto("cognito-idp")
    pool_id = cognito.create_user_pool(
        PoolName="acme-adopt",
        UsernameConfiguration={"CaseSensitive": False},
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": False},
        # moto returns DeletionProtection only when it was set; Cognito always does.
        DeletionProtection="INACTIVE",
        AutoVerifiedAttributes=["email"],
        # The team's own pre sign-up function: adopt writes it down, the product's linking trigger stays away.
        LambdaConfig={"PreSignUp": TEAM_TRIGGER},
        Schema=[
            {
                "Name": "ssn",
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"},
            }
        ],
    )["UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
    )
    cognito.create_user_pool_domain(Domain="acme-adopt", UserPoolId=pool_id, ManagedLoginVersion=2)
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
        AttributeMapping={"username": "sub", "name": "name", "custom:ssn": "cprNumberIdentifier"},
    )
    client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="acme-web",
        SupportedIdentityProviders=["COGNITO", "Idura"],
        CallbackURLs=["https://app.acme.com/callback"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        AllowedOAuthFlowsUserPoolClient=True,
        AccessTokenValidity=60,
        IdTokenValidity=60,
        RefreshTokenValidity=30,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        AuthSessionValidity=3,
    )["UserPoolClient"]
    idura_admin.register(REALM, SECRET, [redirect])
    cognito.admin_create_user(UserPoolId=pool_id, Username="existing-user")

    # The config says what the guide says and one thing more: a second callback URL.
    config = one_stack_config(
        idura.domain,
        STACK,
        secret_source="hand-registered",
        app_client={
            "name": "acme-web",
            "callback_urls": ["https://app.acme.com/callback", "https://app.acme.com/other-callback"],
        },
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
    # The first plan after adoption, as Terraform states it.
    cli("synth", "--stack", STACK)
    tf = TerraformDir.at(root / "cdktf.out" / "stacks" / STACK, cli_config, idura.environment())
    tf.init()
    plan_file = root / "first.tfplan"
    tf.run("plan", "-input=false", f"-out={plan_file}")
    r["first_plan"] = json.loads(tf.run("show", "-json", str(plan_file)).stdout)
    plan_file.unlink()
    # ... and the one deploy shows (Terraform's plan, then the summary) and applies.
    r["deploy"] = cli("deploy", "--stack", STACK, "--auto-approve")
    details = cognito.describe_identity_provider(UserPoolId=pool_id, ProviderName="Idura")
    verify = ssl.create_default_context(cafile=idura.ca_file)
    r["login"] = login(details["IdentityProvider"]["ProviderDetails"], redirect, verify=verify)
    r["user"] = cognito.admin_get_user(UserPoolId=pool_id, Username="existing-user")["Username"]
    r["pools_named"] = [p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "acme-adopt"]
    r["providers"] = [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool_id)["Providers"]]
    r["clients"] = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    r["client_after"] = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])[
        "UserPoolClient"
    ]
    r["pool_after"] = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    r["second_plan"] = cli("plan", "--stack", STACK, "--detailed-exitcode")
    return r


def changed_attributes(plan: dict) -> dict[str, list[str]]:
    """Resource address -> the attributes whose value its change touches (imports alone change nothing)."""
    found = {}
    for change in plan["resource_changes"]:
        if change["mode"] != "managed":
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if names:
            found[change["address"]] = names
    return found


def sensitivity_only(plan: dict) -> list[str]:
    """Updates that change no value, only what Terraform records as sensitive."""
    return [
        c["address"]
        for c in plan["resource_changes"]
        if c["change"]["actions"] == ["update"]
        and c["change"]["before"] == c["change"]["after"]
        and c["change"]["before_sensitive"] != c["change"]["after_sensitive"]
    ]


def _escrow(path):
    from idura_cognito.config import load_config

    return load_config(path).stack(STACK).escrow_name


def test_adopt_escrows_the_secret_cognito_holds_without_printing_it(adopted):
    assert adopted["adopt"].returncode == 0, adopted["adopt"].stderr
    assert adopted["escrow"] == '{"client_secret": "' + SECRET + '"}'
    assert_not_shown(adopted["adopt"].stdout + adopted["adopt"].stderr, SECRET)
    assert adopted["config_after"]["stacks"][STACK]["adopt"] == {
        "user_pool_id": adopted["pool_id"],
        "domain": "acme-adopt",
        "identity_providers": ["Idura"],
        "app_clients": {"default": adopted["client_id"]},  # [app_client] is the client keyed "default"
    }


def test_adopt_writes_down_every_setting_that_exists_and_the_config_does_not_state(adopted):
    stack = adopted["config_after"]["stacks"][STACK]
    assert stack["user_pool"] == {
        "name": "acme-adopt",
        "self_sign_up": True,
        "mfa": "optional",
        "mfa_totp": True,
        "auto_verified_attributes": ["email"],
        "pre_sign_up_lambda_arn": TEAM_TRIGGER,
    }
    assert stack["domain"] == {"prefix": "acme-adopt", "managed_login_version": 2}
    # The scopes are the product's default ("openid"): nothing to write for them.
    assert stack["identity_provider"] == {"attributes": {"name": "name", "custom:ssn": "cprNumberIdentifier"}}
    client = stack["app_client"]
    assert client["callback_urls"] == ["https://app.acme.com/callback", "https://app.acme.com/other-callback"]
    assert {k: v for k, v in client.items() if k not in ("name", "callback_urls")} == {
        "cognito_login": True,
        "access_token_validity": 60,
        "id_token_validity": 60,
        "refresh_token_validity": 30,
        "token_validity_units": {"access_token": "minutes", "id_token": "minutes"},
        "explicit_auth_flows": ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
        "prevent_user_existence_errors": "ENABLED",
        "enable_token_revocation": True,
        "auth_session_validity": 3,
    }


def test_the_teams_own_trigger_stays_the_pools(adopted):
    assert adopted["pool_after"]["LambdaConfig"] == {"PreSignUp": TEAM_TRIGGER}
    assert not any(c["type"] == "aws_lambda_function" for c in adopted["first_plan"].get("resource_changes", []))


def test_adopt_states_every_change_the_first_plan_will_make(adopted):
    said = [line for line in adopted["adopt"].stderr.splitlines() if line.startswith(("will change", "will update"))]
    stack_tag = f"{STACK}/{_escrow(adopted['root'] / 'idura-cognito.toml')}"
    assert said == [
        f'will change user pool acme-adopt: tags {{}} -> {{managed-by = "idura-cognito", idura-cognito:stack = "{stack_tag}"}}',
        "will update identity provider Idura in the state only: Terraform records its client secret as sensitive "
        "(shown as an update; nothing changes at Cognito)",
        'will change app client acme-web: callback URLs ["https://app.acme.com/callback"] -> '
        '["https://app.acme.com/callback", "https://app.acme.com/other-callback"] (from idura-cognito.toml)',
    ]


def test_the_first_plan_changes_only_the_tags_and_what_the_config_states(adopted):
    """Asserted from `terraform show -json`: self sign-up stays on, the token lifetimes stay in minutes, MFA
    stays optional, managed login stays at 2; only the product's tag and the config's new callback URL change."""
    assert changed_attributes(adopted["first_plan"]) == {
        "aws_cognito_user_pool.user_pool": ["tags", "tags_all"],
        "aws_cognito_user_pool_client.app_client": ["callback_urls"],
    }
    # Imported, the provider's client secret is not yet recorded as sensitive: Terraform shows an update that
    # changes no value (adopt says so; the next plan has no changes).
    assert sensitivity_only(adopted["first_plan"]) == ["aws_cognito_identity_provider.idura"]
    imported = [c["address"] for c in adopted["first_plan"]["resource_changes"] if c["change"].get("importing")]
    assert sorted(imported) == [
        "aws_cognito_identity_provider.idura",
        "aws_cognito_user_pool.user_pool",
        "aws_cognito_user_pool_client.app_client",
        "aws_cognito_user_pool_domain.domain",
    ]
    plan = adopted["deploy"]
    assert plan.returncode == 0, plan.stderr
    assert "Summary: 0 to add, 3 to change, 0 to destroy, 4 to import" in plan.stderr
    assert "must be replaced" not in plan.stdout and "will be destroyed" not in plan.stdout


def test_after_the_apply_the_console_settings_are_still_there(adopted):
    client, pool = adopted["client_after"], adopted["pool_after"]
    assert client["TokenValidityUnits"]["AccessToken"] == "minutes" and client["AccessTokenValidity"] == 60
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert sorted(client["SupportedIdentityProviders"]) == ["COGNITO", "Idura"]


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
    adopted, moto, idura, cli_config, tmp_path, boto
):
    """A config that would replace the pool (another name, another case sensitivity, which Cognito cannot change)
    and a pool with a setting the product does not manage but would reset (a Lambda trigger): refused, one line
    each, naming the setting, its value and the line to write; nothing is written."""
    config = one_stack_config(idura.domain, "adopt-wrong", secret_source="hand-registered")
    config["stacks"]["adopt-wrong"]["idura"]["client_id"] = REALM
    config["stacks"]["adopt-wrong"]["user_pool"]["username_case_sensitive"] = True
    path = write_config(tmp_path / "idura-cognito.toml", config)
    before = path.read_text()
    cognito = boto("cognito-idp")
    # A pre sign-up function is managed (user_pool.pre_sign_up_lambda_arn); the others are not.
    triggers = {"PreSignUp": TEAM_TRIGGER, "PostConfirmation": "arn:aws:lambda:eu-north-1:123456789012:function:screen"}
    cognito.update_user_pool(UserPoolId=adopted["pool_id"], LambdaConfig=triggers)
    try:
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
    finally:
        cognito.update_user_pool(UserPoolId=adopted["pool_id"], LambdaConfig={"PreSignUp": TEAM_TRIGGER})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"Cannot adopt pool {adopted['pool_id']} as it is; nothing was written:"
    assert (
        "  user_pool.name is 'acme-adopt' on what exists and 'acme-adopt-wrong' in the config: a new name would "
        'replace the pool (every user lost); write user_pool.name = "acme-adopt"'
    ) in lines
    assert (
        "  user_pool.username_case_sensitive is false on what exists and true in the config: Cognito cannot change "
        "it after creation, and a plan would replace the pool; write user_pool.username_case_sensitive = false"
    ) in lines
    assert any(line.startswith("  the pool uses Lambda triggers (") for line in lines)
    assert "  domain.prefix is 'acme-adopt' on the pool and 'acme-adopt-wrong' in the config" in result.stderr
    assert path.read_text() == before


THREE_REALM = "urn:idura:test:adopt-three"


@pytest.fixture(scope="module")
def three_clients(tmp_path_factory, moto, idura, idura_admin, boto, cli_config):
    """A login built by hand with three app clients on Idura: a web app (with a secret), a single-page app (public,
    code flow) and a mobile app (custom-scheme callback). The config names the web app only."""
    root = tmp_path_factory.mktemp("adopt-three")
    cognito = boto("cognito-idp")
    pool_id = cognito.create_user_pool(
        PoolName="acme-three", UsernameConfiguration={"CaseSensitive": False}, DeletionProtection="INACTIVE"
    )["UserPool"]["Id"]
    cognito.create_user_pool_domain(Domain="acme-adopt-three", UserPoolId=pool_id)
    redirect = "https://acme-adopt-three.auth.eu-north-1.amazoncognito.com/oauth2/idpresponse"
    cognito.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Idura",
        ProviderType="OIDC",
        ProviderDetails={
            "client_id": THREE_REALM,
            "client_secret": SECRET,
            "authorize_scopes": "openid",
            "oidc_issuer": f"https://{idura.domain}",
            "attributes_request_method": "GET",
        },
        AttributeMapping={"username": "sub"},
    )
    common = dict(
        UserPoolId=pool_id,
        SupportedIdentityProviders=["Idura"],
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        AllowedOAuthFlowsUserPoolClient=True,
    )
    made = {
        "acme-web": cognito.create_user_pool_client(
            ClientName="acme-web", CallbackURLs=["https://app.acme.com/callback"], GenerateSecret=True, **common
        ),
        "acme-spa": cognito.create_user_pool_client(
            ClientName="acme-spa", CallbackURLs=["https://spa.acme.com/callback"], **common
        ),
        "acme-mobile": cognito.create_user_pool_client(
            ClientName="acme-mobile", CallbackURLs=["com.acme.app://callback"], **common
        ),
    }
    ids = {name: c["UserPoolClient"]["ClientId"] for name, c in made.items()}
    idura_admin.register(THREE_REALM, SECRET, [redirect])
    config = one_stack_config(idura.domain, "three", secret_source="hand-registered")
    stack = config["stacks"]["three"]
    stack["idura"]["client_id"] = THREE_REALM
    stack["user_pool"] = {"name": "acme-three"}
    stack["domain"] = {"prefix": "acme-adopt-three"}
    del stack["app_client"]
    stack["app_clients"] = {"web": {"name": "acme-web", "callback_urls": ["https://app.acme.com/callback"]}}
    path = write_config(root / "idura-cognito.toml", config)
    env = idura.environment() | {"TF_CLI_CONFIG_FILE": str(cli_config)}

    def cli(*args):
        return run_cli(*args, "--config", str(path), env=env, cwd=root)

    r = {"ids": ids}
    r["adopt"] = cli("adopt", "--stack", "three", "--user-pool-id", pool_id, "--write-config")
    r["config_after"] = tomllib.loads(path.read_text())
    cli("synth", "--stack", "three")
    tf = TerraformDir.at(root / "cdktf.out" / "stacks" / "three", cli_config, idura.environment())
    tf.init()
    plan_file = root / "first.tfplan"
    tf.run("plan", "-input=false", f"-out={plan_file}")
    r["first_plan"] = json.loads(tf.run("show", "-json", str(plan_file)).stdout)
    r["deploy"] = cli("deploy", "--stack", "three", "--auto-approve")
    r["second_plan"] = cli("plan", "--stack", "three", "--detailed-exitcode")
    listed = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    r["clients_after"] = {c["ClientName"]: c["ClientId"] for c in listed}
    return r


def test_a_three_client_login_is_adopted_whole_and_nothing_is_replaced(three_clients):
    r = three_clients
    assert r["adopt"].returncode == 0, r["adopt"].stderr
    clients = r["config_after"]["stacks"]["three"]["app_clients"]
    # The config's web client keeps its key; the two others are written under keys from their names (a client's
    # name defaults to its key, so adopt writes none for them).
    assert {key: c.get("name", key) for key, c in clients.items()} == {
        "web": "acme-web",
        "acme-spa": "acme-spa",
        "acme-mobile": "acme-mobile",
    }
    assert clients["acme-mobile"]["callback_urls"] == ["com.acme.app://callback"]
    assert r["config_after"]["stacks"]["three"]["adopt"]["app_clients"] == {
        "web": r["ids"]["acme-web"],
        "acme-spa": r["ids"]["acme-spa"],
        "acme-mobile": r["ids"]["acme-mobile"],
    }
    changes = r["first_plan"].get("resource_changes", [])
    clients_planned = [c for c in changes if c["type"] == "aws_cognito_user_pool_client"]
    assert len(clients_planned) == 3 and all(c["change"]["importing"] for c in clients_planned)
    replaced = [
        (c["address"], c["change"]["actions"]) for c in changes if {"create", "delete"} & set(c["change"]["actions"])
    ]
    assert not replaced, (replaced, clients, r["adopt"].stderr)
    assert r["deploy"].returncode == 0, r["deploy"].stdout[-3000:] + r["deploy"].stderr[-2000:]
    assert r["second_plan"].returncode == 0, r["second_plan"].stdout[-3000:]
    assert r["clients_after"] == r["ids"]  # the same three clients, the same ids
