"""The local moto server answers as Cognito documents it where moto 5.2.1 does not (idura_cognito/local/): linked
federated users, managed login branding, custom domains. boto3 against the running wrapper, as the product and
the AWS provider reach it. Each rule's source is cited in the wrapper beside it."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from idura_cognito.local.cognito_sign_in import federated_sign_in
from tests.support.federation import OTHER_TEAMS_SAML, idura_sub, pool_with_providers

XDIST_SPREAD = True


@pytest.fixture()
def cognito(boto):
    return boto("cognito-idp")


def error_code(call) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"]


def identities(cognito, pool_id: str, username: str) -> list[dict]:
    attributes = cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    return json.loads({a["Name"]: a["Value"] for a in attributes}.get("identities", "[]"))


def subject(provider: str, sub: str) -> dict:
    return {"ProviderName": provider, "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": sub}


def signed_up(moto, pool_id: str, provider: str, sub: str) -> str:
    result = federated_sign_in(moto.url, pool_id, provider, sub)
    assert result.outcome == "signed_up", result
    return result.username


# -- a federated sign-in (the wrapper's model) ------------------------------------------------------------------


def test_a_first_federated_sign_in_makes_the_user_cognito_makes(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    username = signed_up(moto, pool_id, "MitID", sub)
    assert username == f"mitid_{sub}"  # a case-insensitive pool lowercases the whole name
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    [identity] = identities(cognito, pool_id, username)
    assert identity | {"dateCreated": 0} == {
        "userId": sub,
        "providerName": "MitID",
        "providerType": "OIDC",
        "issuer": None,
        "primary": True,
        "dateCreated": 0,
    }
    assert federated_sign_in(moto.url, pool_id, "MitID", sub).outcome == "existing"


def test_a_case_sensitive_pool_keeps_the_provider_name_as_it_is(moto, cognito):
    pool_id, sub = pool_with_providers(cognito, case_sensitive=True), idura_sub()
    assert signed_up(moto, pool_id, "MitID", sub) == f"MitID_{sub}"


# -- AdminLinkProviderForUser -----------------------------------------------------------------------------------


def test_a_linked_identity_shows_in_identities_and_signs_in_as_the_destination(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    destination = signed_up(moto, pool_id, "Idura", sub)
    cognito.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=subject("Idura", sub), SourceUser=subject("MitID", sub)
    )
    primary, linked = identities(cognito, pool_id, destination)
    assert primary["primary"] is True and primary["providerName"] == "Idura"
    assert (linked["providerName"], linked["userId"], linked["primary"]) == ("MitID", sub, False)
    assert isinstance(linked["dateCreated"], int)
    signed_in = federated_sign_in(moto.url, pool_id, "MitID", sub)
    assert (signed_in.outcome, signed_in.username) == ("linked", destination)
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]] == [destination]


def test_an_identity_links_to_a_native_user_named_with_provider_cognito(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    cognito.admin_create_user(UserPoolId=pool_id, Username="anna", MessageAction="SUPPRESS")
    cognito.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "anna"},
        SourceUser=subject("MitID", sub),
    )
    assert [i["providerName"] for i in identities(cognito, pool_id, "anna")] == ["MitID"]
    assert federated_sign_in(moto.url, pool_id, "MitID", sub).username == "anna"


def test_a_missing_pool_or_destination_is_refused(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    link = cognito.admin_link_provider_for_user
    assert (
        error_code(
            lambda: link(
                UserPoolId="eu-north-1_missing", DestinationUser=subject("Idura", sub), SourceUser=subject("MitID", sub)
            )
        )
        == "ResourceNotFoundException"
    )
    assert (
        error_code(
            lambda: link(UserPoolId=pool_id, DestinationUser=subject("Idura", sub), SourceUser=subject("MitID", sub))
        )
        == "UserNotFoundException"
    )
    nobody = {"ProviderName": "Cognito", "ProviderAttributeValue": "nobody"}
    assert (
        error_code(lambda: link(UserPoolId=pool_id, DestinationUser=nobody, SourceUser=subject("MitID", sub)))
        == "UserNotFoundException"
    )


def test_a_source_that_signed_up_is_linked_already_or_is_native_is_refused(moto, cognito):
    pool_id, sub, other = pool_with_providers(cognito), idura_sub(), idura_sub()
    signed_up(moto, pool_id, "Idura", sub)
    signed_up(moto, pool_id, "MitID", sub)
    link = cognito.admin_link_provider_for_user

    def refused(source, destination=None):
        with pytest.raises(ClientError) as caught:
            link(UserPoolId=pool_id, DestinationUser=destination or subject("Idura", sub), SourceUser=source)
        return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]

    assert refused(subject("MitID", sub)) == (
        "InvalidParameterException",
        "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    )
    link(UserPoolId=pool_id, DestinationUser=subject("Idura", sub), SourceUser=subject("SE-BankID", other))
    assert refused(subject("SE-BankID", other))[0] == "InvalidParameterException"  # linked already
    assert refused({"ProviderName": "Cognito", "ProviderAttributeValue": "anna"})[1].startswith(
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser"
    )
    # a destination that is itself a linked identity, not a user
    assert refused(subject("MitID", idura_sub()), destination=subject("SE-BankID", other))[0] == (
        "InvalidParameterException"
    )
    assert refused(subject("NotAProvider", idura_sub()))[0] == "InvalidParameterException"


def test_a_sixth_linked_identity_exceeds_the_limit_of_five(moto, cognito):
    names = [f"Eid{n}" for n in range(7)]
    pool_id, sub = pool_with_providers(cognito, providers=names), idura_sub()
    signed_up(moto, pool_id, names[0], sub)
    for name in names[1:6]:
        cognito.admin_link_provider_for_user(
            UserPoolId=pool_id, DestinationUser=subject(names[0], sub), SourceUser=subject(name, sub)
        )
    sixth = lambda: cognito.admin_link_provider_for_user(  # noqa: E731
        UserPoolId=pool_id, DestinationUser=subject(names[0], sub), SourceUser=subject(names[6], sub)
    )
    assert error_code(sixth) == "LimitExceededException"


def test_disabling_a_linked_identity_unlinks_it_and_its_next_sign_in_signs_up(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    destination = signed_up(moto, pool_id, "Idura", sub)
    cognito.admin_link_provider_for_user(
        UserPoolId=pool_id, DestinationUser=subject("Idura", sub), SourceUser=subject("MitID", sub)
    )
    cognito.admin_disable_provider_for_user(UserPoolId=pool_id, User=subject("MitID", sub))
    assert [i["providerName"] for i in identities(cognito, pool_id, destination)] == ["Idura"]
    assert federated_sign_in(moto.url, pool_id, "MitID", sub).username == f"mitid_{sub}"
    missing = lambda: cognito.admin_disable_provider_for_user(UserPoolId=pool_id, User=subject("SE-BankID", sub))  # noqa: E731
    assert error_code(missing) == "UserNotFoundException"


def test_signing_up_an_identity_a_trigger_just_linked_fails_as_cognito_does(moto, cognito):
    pool_id, sub = pool_with_providers(cognito), idura_sub()
    signed_up(moto, pool_id, "Idura", sub)

    def linking_trigger(event, context):
        cognito.admin_link_provider_for_user(
            UserPoolId=pool_id, DestinationUser=subject("Idura", sub), SourceUser=subject("MitID", sub)
        )
        return event

    first = federated_sign_in(moto.url, pool_id, "MitID", sub, pre_sign_up=linking_trigger)
    assert (first.outcome, first.error_description) == ("refused", f"Already found an entry for username mitid_{sub}")
    assert federated_sign_in(moto.url, pool_id, "MitID", sub).outcome == "linked"


def test_a_provider_outside_the_pool_cannot_sign_in(moto, cognito):
    from idura_cognito.local.cognito_sign_in import SignInError

    pool_id = pool_with_providers(cognito)
    with pytest.raises(SignInError, match="NotAProvider is not an identity provider"):
        federated_sign_in(moto.url, pool_id, "NotAProvider", idura_sub())
    assert signed_up(moto, pool_id, OTHER_TEAMS_SAML, "corp-user-1") == "corpsaml_corp-user-1"


# -- managed login branding -------------------------------------------------------------------------------------


@pytest.fixture()
def client_of_pool(cognito):
    pool_id = cognito.create_user_pool(PoolName="branding")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]
    return pool_id, client_id


SETTINGS = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}}}
LOGO = {"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": b"\x89PNG logo"}


def test_a_default_style_has_no_settings_of_its_own_and_one_style_per_client(cognito, client_of_pool):
    pool_id, client_id = client_of_pool
    created = cognito.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True
    )
    style = created["ManagedLoginBranding"]
    assert style["UseCognitoProvidedValues"] is True and style["UserPoolId"] == pool_id
    assert "Settings" not in style and style["Assets"] == []
    style_id = style["ManagedLoginBrandingId"]
    by_client = cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    assert by_client["ManagedLoginBranding"]["ManagedLoginBrandingId"] == style_id
    merged = cognito.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style_id, ReturnMergedResources=True
    )
    assert merged["ManagedLoginBranding"]["Settings"] == {}
    again = lambda: cognito.create_managed_login_branding(  # noqa: E731
        UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True
    )
    assert error_code(again) == "ManagedLoginBrandingExistsException"


def test_settings_and_assets_round_trip_and_defaults_come_alone(cognito, client_of_pool):
    pool_id, client_id = client_of_pool
    both = lambda: cognito.create_managed_login_branding(  # noqa: E731
        UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True, Settings=SETTINGS
    )
    assert error_code(both) == "InvalidParameterException"
    bad_asset = lambda: cognito.create_managed_login_branding(  # noqa: E731
        UserPoolId=pool_id, ClientId=client_id, Settings=SETTINGS, Assets=[LOGO | {"ColorMode": "SEPIA"}]
    )
    assert error_code(bad_asset) == "InvalidParameterException"
    style = cognito.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, Settings=SETTINGS, Assets=[LOGO]
    )
    described = cognito.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    )["ManagedLoginBranding"]
    assert described["Settings"] == SETTINGS and described["UseCognitoProvidedValues"] is False
    assert described["Assets"] == [LOGO]


def test_an_update_keeps_what_it_does_not_send_and_defaults_revert_everything(cognito, client_of_pool):
    pool_id, client_id = client_of_pool
    style_id = cognito.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, Settings=SETTINGS, Assets=[LOGO]
    )["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    dark = LOGO | {"ColorMode": "DARK", "Bytes": b"dark"}
    added = cognito.update_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id, Assets=[dark])
    assert added["ManagedLoginBranding"]["Settings"] == SETTINGS  # not sent, kept
    assert sorted(a["Bytes"] for a in added["ManagedLoginBranding"]["Assets"]) == sorted([LOGO["Bytes"], b"dark"])
    replaced = cognito.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style_id, Assets=[LOGO | {"Bytes": b"new light"}]
    )  # the same category and colour mode: replaced
    assert sorted(a["Bytes"] for a in replaced["ManagedLoginBranding"]["Assets"]) == [b"dark", b"new light"]
    reverted = cognito.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=style_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert reverted["UseCognitoProvidedValues"] is True and "Settings" not in reverted and reverted["Assets"] == []


def test_a_deleted_style_is_gone_and_its_client_can_have_a_new_one(cognito, client_of_pool):
    pool_id, client_id = client_of_pool
    style_id = cognito.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]["ManagedLoginBrandingId"]
    cognito.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id)
    gone = lambda: cognito.describe_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=style_id)  # noqa: E731
    assert error_code(gone) == "ResourceNotFoundException"
    by_client = lambda: cognito.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)  # noqa: E731
    assert error_code(by_client) == "ResourceNotFoundException"
    cognito.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True)
    other_client = lambda: cognito.create_managed_login_branding(  # noqa: E731
        UserPoolId=pool_id, ClientId="nosuchclient", UseCognitoProvidedValues=True
    )
    assert error_code(other_client) == "ResourceNotFoundException"


# -- custom domains ---------------------------------------------------------------------------------------------

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555"
RENEWED = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-4888-9999-000000000000"


def test_a_custom_domain_answers_its_certificate_and_keeps_one_distribution(cognito):
    pool_id = cognito.create_user_pool(PoolName="custom-domain")["UserPool"]["Id"]
    created = cognito.create_user_pool_domain(
        UserPoolId=pool_id, Domain="login.fidelity.example", CustomDomainConfig={"CertificateArn": CERTIFICATE}
    )
    described = cognito.describe_user_pool_domain(Domain="login.fidelity.example")["DomainDescription"]
    assert described["CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}
    distribution = described["CloudFrontDistribution"]
    assert distribution == created["CloudFrontDomain"] and distribution.endswith(".cloudfront.net")

    cognito.update_user_pool_domain(UserPoolId=pool_id, Domain="login.fidelity.example", ManagedLoginVersion=2)
    described = cognito.describe_user_pool_domain(Domain="login.fidelity.example")["DomainDescription"]
    assert described["CustomDomainConfig"] == {"CertificateArn": CERTIFICATE}  # a version change keeps it
    cognito.update_user_pool_domain(
        UserPoolId=pool_id, Domain="login.fidelity.example", CustomDomainConfig={"CertificateArn": RENEWED}
    )
    described = cognito.describe_user_pool_domain(Domain="login.fidelity.example")["DomainDescription"]
    assert described["CustomDomainConfig"]["CertificateArn"] == RENEWED
    assert described["CloudFrontDistribution"] == distribution  # the alias record stays right


def test_a_resource_server_is_updated_and_deleted_as_cognito_does(cognito):
    """moto 5.2.1 raises NotImplementedError for both (an HTML 500: the AWS provider's destroy retried for many
    minutes); the wrapper replaces name and scopes on update and removes the server on delete."""
    pool_id = cognito.create_user_pool(PoolName="resource-servers")["UserPool"]["Id"]
    cognito.create_resource_server(
        UserPoolId=pool_id, Identifier="api", Name="API", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    updated = cognito.update_resource_server(
        UserPoolId=pool_id, Identifier="api", Name="Orders", Scopes=[{"ScopeName": "write", "ScopeDescription": "w"}]
    )["ResourceServer"]
    assert (updated["Name"], updated["Scopes"]) == ("Orders", [{"ScopeName": "write", "ScopeDescription": "w"}])
    assert cognito.describe_resource_server(UserPoolId=pool_id, Identifier="api")["ResourceServer"] == updated
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier="api")
    assert cognito.list_resource_servers(UserPoolId=pool_id, MaxResults=10)["ResourceServers"] == []
    with pytest.raises(cognito.exceptions.ResourceNotFoundException):
        cognito.delete_resource_server(UserPoolId=pool_id, Identifier="api")
