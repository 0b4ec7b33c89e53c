#!/usr/bin/env python3
"""Terraform ``external`` data program: make sure the Idura application exists and is Cognito-ready.

Protocol (hashicorp/external): one JSON object of strings on stdin (the data source's ``query``), one JSON
object of strings on stdout, exit 0; on error one line on stderr and exit 1. It runs on every plan.

Query keys:
  idura_domain        the Idura domain, e.g. acme-corp.idura.broker
  client_id           the application's client id (realm)
  application_name    name shown at Idura (used when creating)
  redirect_uris       a JSON array of https URLs inside the string; added, never removed
  have_secret         "true" when the escrow holds a secret, else "false"
  escrowed_secret_id  optional: id of the escrowed secret ("" if unknown); a different current id at Idura
                      means the escrow is stale (e.g. a crash after issuing), so a new secret is issued

Result keys: client_id, client_secret ("" unless issued now), issuer, application_id, secret_id and action
(created / updated / unchanged / rotated). Credentials come from the environment, never from the query:
IDURA_MANAGEMENT_URL, IDURA_MANAGEMENT_TOKEN, optional IDURA_CA_BUNDLE. Runs as ``python3 <this file>``
from any folder with only the standard library and httpx.
"""

from __future__ import annotations

import json
import re
import sys

if __package__ in (None, ""):  # run as a script: siblings are importable from this file's folder
    import inputs  # type: ignore[no-redef]
else:
    from . import inputs

REQUIRED = ("idura_domain", "client_id", "application_name", "redirect_uris", "have_secret")
OPTIONAL = ("escrowed_secret_id",)
MAX_INPUT = 64 * 1024
_SECRET_ID = re.compile(r"^[A-Za-z0-9_.-]{0,128}$")


class InputError(Exception):
    pass


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
            raise InputError(f"query.{_short(key)}: unknown key; expected {', '.join(REQUIRED + OPTIONAL)}")
        if not isinstance(value, str):
            raise InputError(f"query.{key}: must be a string")
    for key in REQUIRED:
        if key not in query:
            raise InputError(f"query.{key}: is required")
    domain = query["idura_domain"]
    if inputs.hostname_problem(domain, allow_loopback_port=True):
        raise InputError(f"query.idura_domain: {_short(domain)} is not a host name like acme.idura.broker")
    client_id = query["client_id"]
    if not 0 < len(client_id) <= 255 or any(c.isspace() or not c.isprintable() for c in client_id):
        raise InputError("query.client_id: must be 1-255 printable characters without spaces")
    name = query["application_name"]
    if not 0 < len(name) <= 100 or not name.isprintable() or name != name.strip():
        raise InputError("query.application_name: must be 1-100 printable characters")
    redirect_uris = _redirect_uris(query["redirect_uris"])
    if query["have_secret"] not in ("true", "false"):
        raise InputError('query.have_secret: must be "true" or "false"')
    escrowed_id = query.get("escrowed_secret_id", "")
    if not _SECRET_ID.fullmatch(escrowed_id):  # type: ignore[arg-type]
        raise InputError("query.escrowed_secret_id: must be up to 128 letters, digits, '.', '_' or '-'")
    return {
        "domain": domain,
        "client_id": client_id,
        "name": name,
        "redirect_uris": redirect_uris,
        "have_secret": query["have_secret"] == "true",
        "escrowed_secret_id": escrowed_id,
    }


def _redirect_uris(raw: str) -> list[str]:
    try:
        uris = json.loads(raw)
    except ValueError:
        raise InputError("query.redirect_uris: must be a JSON array of URLs inside the string") from None
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        raise InputError("query.redirect_uris: must be a non-empty JSON array of URL strings")
    if len(uris) > 100:
        raise InputError("query.redirect_uris: at most 100 URLs")
    for uri in uris:
        problem = inputs.url_problem(uri, allow_localhost_http=False)
        if problem:
            raise InputError(f"query.redirect_uris: {_short(uri)} is refused: {problem}")
    return list(dict.fromkeys(uris))


def _short(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def ensure_application(client, query: dict) -> dict[str, str]:
    """Find or create, make Cognito-ready, issue a secret only when needed. Returns the result map."""
    domain, realm = query["domain"], query["client_id"]
    action = "unchanged"
    app = client.find(domain, realm)
    if app is None:
        app = client.create(domain, realm=realm, name=query["name"], return_urls=query["redirect_uris"])
        action = "created"
    missing = [u for u in query["redirect_uris"] if u not in app.return_urls]
    if missing or not app.code_flow or app.user_info_strategy != "plainJson":
        app = client.update(domain, app.id, return_urls=[*app.return_urls, *missing])
        action = "updated" if action == "unchanged" else action
    stale = bool(query["escrowed_secret_id"]) and app.secret_id != query["escrowed_secret_id"]
    secret, secret_id = "", app.secret_id or ""
    if action == "created" or not query["have_secret"] or app.secret_id is None or stale:
        secret, secret_id = client.issue_secret(domain, app.id)
        action = "created" if action == "created" else "rotated"
    return {
        "client_id": realm,
        "client_secret": secret,
        "issuer": f"https://{domain}",
        "application_id": app.id,
        "secret_id": secret_id,
        "action": action,
    }


def main(stdin=None, stdout=None, stderr=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    try:
        query = parse_query(stdin.read(MAX_INPUT + 1))
        if __package__ in (None, ""):
            import management  # type: ignore[no-redef]  # deferred: httpx is the slow import
        else:
            from . import management
        client = management.ManagementClient.from_environment()
        try:
            result = ensure_application(client, query)
        finally:
            client.close()
    except InputError as exc:
        print(f"idura_application: {exc}", file=stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback (it could hold request data)
        name = type(exc).__name__
        known = name in ("ManagementError", "NotFound", "Conflict", "_Ambiguous")
        message = str(exc) if known else f"unexpected {name}"
        print(f"idura_application: {' '.join(message.split())}", file=stderr)
        return 1
    json.dump(result, stdout)
    stdout.write("\n")
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
