"""Idura's eID-pinned endpoints: base64 (standard alphabet, padded) of the UTF-8 acr, per Idura's docs."""

import pytest

from idura_verify.program import oidc


@pytest.mark.parametrize(
    ("acr", "segment"),
    [
        ("urn:grn:authn:no:bankid", "dXJuOmdybjphdXRobjpubzpiYW5raWQ="),
        ("urn:grn:authn:dk:mitid:substantial", "dXJuOmdybjphdXRobjpkazptaXRpZDpzdWJzdGFudGlhbA=="),
    ],
)
def test_acr_path_segment_matches_idura_vectors(acr, segment):
    assert oidc.acr_path_segment(acr) == segment


def test_pinned_authorize_url_puts_the_segment_before_oauth2():
    url = oidc.authorize_url("acme.idura.broker", "urn:grn:authn:no:bankid")
    assert url == "https://acme.idura.broker/dXJuOmdybjphdXRobjpubzpiYW5raWQ=/oauth2/authorize"


def test_unpinned_endpoints_hang_off_the_bare_issuer():
    assert oidc.issuer("acme.idura.broker") == "https://acme.idura.broker"
    assert oidc.authorize_url("acme.idura.broker") == "https://acme.idura.broker/oauth2/authorize"
    assert oidc.token_url("acme.idura.broker") == "https://acme.idura.broker/oauth2/token"
    assert oidc.userinfo_url("acme.idura.broker") == "https://acme.idura.broker/oauth2/userinfo"
    assert oidc.jwks_url("acme.idura.broker") == "https://acme.idura.broker/.well-known/jwks"
    assert (
        oidc.discovery_url("acme.idura.broker", "urn:grn:authn:no:bankid")
        == "https://acme.idura.broker/dXJuOmdybjphdXRobjpubzpiYW5raWQ=/.well-known/openid-configuration"
    )
