#!/usr/bin/env python3
"""Terraform ``external`` data program: make sure the Idura application exists and is Cognito-ready.

Protocol (hashicorp/external): one JSON object of strings on stdin (the data source's ``query``), one JSON
object of strings on stdout, exit 0; on error one line on stderr and exit 1. It runs on every plan.

A plan is a read. Unless the run is allowed to change Idura (``IDURA_MANAGEMENT_ALLOW_CHANGES``, see
environment.py), the program only finds the application and reports in ``pending`` what an allowed run would
change ("would add redirect URL ...", "would rotate the client secret: the escrow is empty"). When such a run
would have no secret for Cognito at all, it stops with that line instead of handing Terraform an empty secret.

Query keys (every value is checked by the rule table, rules.py):
  idura_domain        the Idura domain, e.g. acme-corp.idura.broker
  client_id           the application's client id (realm)
  application_name    name shown at Idura (used when creating)
  redirect_uris       a JSON array inside the string: Cognito's https://<host>/oauth2/idpresponse URLs;
                      added, never removed
  have_secret         "true" when the escrow holds a secret, else "false"
  escrowed_secret_id  optional: Idura's id of the escrowed secret ("" if unknown); another current id at Idura
                      means the escrow holds a dead secret, so a new one is issued
  escrow_arn          optional: the escrow's ARN; Terraform passes it so that a missing escrow is created
                      before this program runs (a secret scheduled for deletion then stops the apply first)

Result keys: client_id, client_secret ("" unless issued now), issuer, application_id, secret_id (the id of the
secret Terraform stores), action (created / updated / rotated / unchanged / pending) and pending ("" or what an
allowed run would change). Credentials come from the environment, never from the query. Runs as
``python3 -I <this file or the zipapp>`` with only the standard library and httpx.
"""

from __future__ import annotations

import json
import sys

if __package__ in (None, ""):  # run as a script or from the zipapp: siblings are importable from here
    import environment  # type: ignore[no-redef]
    from oidc import USERINFO_STRATEGY  # type: ignore[no-redef]
    from rules import QUERY_RULES, short  # type: ignore[no-redef]
else:
    from . import environment
    from .oidc import USERINFO_STRATEGY
    from .rules import QUERY_RULES, short

REQUIRED = ("idura_domain", "client_id", "application_name", "redirect_uris", "have_secret")
OPTIONAL = ("escrowed_secret_id", "escrow_arn")
MAX_INPUT = 64 * 1024
MAX_REDIRECT_URIS = 50  # one per Cognito domain of every pool that shares the application; 50 bounds the query


class InputError(Exception):
    pass


class NotAllowed(Exception):
    """The run may not change Idura, and without a change there is no secret for Cognito."""


class ConcurrentRun(Exception):
    """Another run created the application at the same moment; it issues and escrows the secret."""


def parse_query(raw: str) -> dict[str, object]:
    """Validate the query strictly; every message names the key and never echoes more than a short repr."""
    if len(raw) > MAX_INPUT:
        raise InputError(f"query: larger than {MAX_INPUT} bytes")
    try:
        query = json.loads(raw)
    except ValueError:
        raise InputError("query: stdin is not a JSON object") from None
    if not isinstance(query, dict):
        raise InputError("query: stdin is not a JSON object")
    for key, value in query.items():
        if key not in REQUIRED + OPTIONAL:
            raise InputError(f"query.{short(key, 30)}: unknown key; expected {', '.join(REQUIRED + OPTIONAL)}")
        if not isinstance(value, str):
            raise InputError(f"query.{key}: must be a string")
    for key in REQUIRED:
        if key not in query:
            raise InputError(f"query.{key}: is required")
    for key in (
        "idura_domain",
        "client_id",
        "application_name",
        "have_secret",
        "escrowed_secret_id",
        "escrow_arn",
    ):
        problem = QUERY_RULES[key].problem(query.get(key, ""))
        if problem:
            raise InputError(f"query.{key}: {problem}")
    return {
        "domain": query["idura_domain"],
        "client_id": query["client_id"],
        "name": query["application_name"],
        "redirect_uris": _redirect_uris(query["redirect_uris"]),
        "have_secret": query["have_secret"] == "true",
        "escrowed_secret_id": query.get("escrowed_secret_id", ""),
    }


def _redirect_uris(raw: str) -> list[str]:
    try:
        uris = json.loads(raw)
    except ValueError:
        raise InputError("query.redirect_uris: must be a JSON array of URLs inside the string") from None
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        raise InputError("query.redirect_uris: must be a non-empty JSON array of URL strings")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InputError(f"query.redirect_uris: at most {MAX_REDIRECT_URIS} URLs")
    for uri in uris:
        problem = QUERY_RULES["redirect_uris[]"].problem(uri)
        if problem:
            raise InputError(f"query.redirect_uris: {problem}")
    return list(dict.fromkeys(uris))


def ensure_application(client, query: dict, allowed: bool) -> dict[str, str]:
    """Find or create, make Cognito-ready, issue a secret only when needed. Returns the result map.

    With ``allowed`` false nothing is sent but the find; what would change goes into ``pending``.
    """
    domain, realm = query["domain"], query["client_id"]
    pending: list[str] = []
    action = "unchanged"
    app = client.find(domain, realm)
    if app is None:
        if not allowed:
            pending.append(f"would create application {realm} on {domain}")
        else:
            app, created = client.create(domain, realm=realm, name=query["name"], return_urls=query["redirect_uris"])
            if not created:  # a conflict, or our own create whose answer was lost: either way not ours to key
                raise ConcurrentRun(
                    f"application {realm} on {domain} was created by another run at the same moment (or by this "
                    "run, its answer lost): plan again once any other run has finished"
                )
            action = "created"
    if app is not None:
        missing = [u for u in query["redirect_uris"] if u not in app.return_urls]
        if missing or not app.cognito_ready:
            if allowed:
                app = client.update(domain, app.id, return_urls=[*app.return_urls, *missing])
                action = "updated" if action == "unchanged" else action
            else:
                pending += [f"would add redirect URL {u}" for u in missing]
                pending += [] if app.code_flow else ["would turn the OAuth2 code flow on"]
                if app.user_info_strategy != USERINFO_STRATEGY:
                    pending.append(f"would set the user info strategy to {USERINFO_STRATEGY}")
    reason = _rotation_reason(app, query, action)
    secret, secret_id = "", query["escrowed_secret_id"] or (app.secret_id if app else "") or ""
    if reason and allowed:
        # Replaces exactly the secret id seen (none after a create): a request of ours that completes late at
        # Idura is refused there, and a secret issued meanwhile is re-read and replaced.
        secret, secret_id = client.rotate_secret(domain, app)
        action = "created" if action == "created" else "rotated"
    elif reason:
        pending.append(f"would issue a new client secret: {reason}")
        if not query["have_secret"]:
            raise NotAllowed(
                f"changes at Idura are needed and this run may not make them: {'; '.join(pending)}. Allow them "
                f"for the run that applies ({environment.ALLOW_CHANGES}=true; `idura-cognito deploy` does)"
            )
    if pending:
        action = "pending"
    return {
        "client_id": realm,
        "client_secret": secret,
        "issuer": f"https://{domain}",
        "application_id": app.id if app else "",
        "secret_id": secret_id,
        "action": action,
        "pending": "; ".join(pending),
    }


def _rotation_reason(app, query: dict, action: str) -> str:
    """Why a new secret is needed ("" when the escrowed one is current)."""
    if app is None:
        return "the application does not exist yet"
    if action == "created":
        return "the application was just created"
    if not query["have_secret"]:
        return "the escrow is empty"
    if app.secret_id is None:
        return "Idura holds no secret for the application"
    if query["escrowed_secret_id"] and app.secret_id != query["escrowed_secret_id"]:
        return "the escrowed secret is not Idura's current one"
    return ""


def main(stdin=None, stdout=None, stderr=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        query = parse_query(stdin.read(MAX_INPUT + 1))
        allowed = environment.changes_allowed()
    except (InputError, environment.SwitchError) as exc:
        return _fail(stderr, str(exc))
    if __package__ in (None, ""):
        import management  # type: ignore[no-redef]  # deferred: httpx is the slow import
    else:
        from . import management
    try:
        client = management.ManagementClient.from_environment()
        try:
            result = ensure_application(client, query, allowed)
        finally:
            client.close()
    except (management.ManagementError, NotAllowed, ConcurrentRun) as exc:
        return _fail(stderr, str(exc))
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback (it could hold request data)
        return _fail(stderr, f"unexpected {type(exc).__name__}")
    json.dump(result, stdout)
    stdout.write("\n")
    stdout.flush()
    return 0


def _fail(stderr, message: str) -> int:
    print(f"idura_application: {' '.join(message.split())}", file=stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
