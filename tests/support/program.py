"""The external program as tests run it: where it is and the query Terraform would give it (one builder)."""

from __future__ import annotations

import json

from tests.conftest import ROOT

PROGRAM = ROOT / "providers" / "idura" / "idura_application.py"
COGNITO_HOST = "acme-program.auth.eu-north-1.amazoncognito.com"
COGNITO = f"https://{COGNITO_HOST}/oauth2/idpresponse"


def query(domain: str, realm: str, **overrides: str) -> dict[str, str]:
    """A valid query for the application ``realm`` on ``domain`` (an escrowed secret, no id known); a redirect
    URL given in ``redirect_uris`` brings its own host as ``cognito_host`` unless that is given too."""
    base = {
        "idura_domain": domain,
        "client_id": realm,
        "application_name": "Program test",
        "redirect_uris": json.dumps([COGNITO]),
        "cognito_host": COGNITO_HOST,
        "have_secret": "true",
    }
    if "redirect_uris" in overrides and "cognito_host" not in overrides:
        try:
            first = json.loads(overrides["redirect_uris"])[0]
            base["cognito_host"] = first.split("/")[2]
        except (ValueError, IndexError, TypeError, AttributeError):
            pass
    return base | overrides
