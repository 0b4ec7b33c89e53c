"""Signing out of Cognito and of Idura with one URL, defined once for both renderings and the doctor.

Cognito's ``/logout`` ends Cognito's session only: it never calls the identity provider, and Idura keeps its own
SSO session per domain (Idura docs ``verify/guides/sso.mdx:9-13``), so the next login could complete without the
person. The sign-out URL an app calls goes through both, Cognito first:

1. ``https://<cognito host>/logout?client_id=<app client id>&logout_uri=<Idura's end-session URL>``: Cognito ends
   its session and redirects to ``logout_uri``, which must be exactly one of the client's sign-out URLs (so the
   product adds it to them);
2. ``https://<idura domain>/oauth2/logout?client_id=<Idura client id>&post_logout_redirect_uri=<sign_out>``
   (Idura's end-session endpoint, sso.mdx:36-38): Idura ends its SSO session and sends the browser to
   ``sign_out``, which must be registered on the Idura application as a callback URL (Idura keeps one list,
   ``snippets/callback-urls.mdx``; the Okta and PingFederate guides register the post-logout URL there too).

This order is the one whose every URL is known before the apply: Cognito's client id appears only in the URL the
app calls (an output), never in a URL registered anywhere. The alternative per login is ``prompt=login`` on the
authorize request, which Cognito forwards to an OIDC provider and Idura honours by asking the person again.
"""

from __future__ import annotations

from urllib.parse import quote

from ..config.model import AppClientSettings, StackConfig


def idura_logout_url(config: StackConfig, client: AppClientSettings) -> str | None:
    """Idura's end-session URL that returns the browser to ``client.sign_out`` (None: no sign-out)."""
    if client.sign_out is None:
        return None
    return (
        f"{config.idura.issuer}/oauth2/logout?client_id={quote(config.idura.client_id, safe='')}"
        f"&post_logout_redirect_uri={quote(client.sign_out, safe='')}"
    )


def logout_urls(config: StackConfig, client: AppClientSettings) -> tuple[str, ...]:
    """The client's sign-out URLs at Cognito: the configured ones, and Idura's end-session URL for ``sign_out``."""
    idura = idura_logout_url(config, client)
    return client.logout_urls + ((idura,) if idura and idura not in client.logout_urls else ())


def sign_out_url(config: StackConfig, client: AppClientSettings, client_id: str) -> str | None:
    """The one URL the app calls to sign the person out of both (``client_id``: Cognito's, known after apply)."""
    idura = idura_logout_url(config, client)
    if idura is None:
        return None
    return f"https://{config.cognito_host}/logout?client_id={client_id}&logout_uri={quote(idura, safe='')}"


def post_logout_urls(config: StackConfig) -> tuple[str, ...]:
    """What the Idura application must hold for sign-out: every client's ``sign_out`` URL."""
    return tuple(dict.fromkeys(c.sign_out for c in config.app_clients if c.sign_out))
