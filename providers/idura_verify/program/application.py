#!/usr/bin/env python3
"""Terraform ``external`` data program: make sure the Idura application exists and is Cognito-ready.

Protocol (hashicorp/external): one JSON object of strings on stdin (the data source's ``query``), one JSON
object of strings on stdout, exit 0; on error one line on stderr and exit 1. It runs on every plan.

A plan is a read. Unless the run is allowed to change Idura, the program only finds the application and reports
what an allowed run would change: in ``pending`` for people ("would add redirect URL ...", "would issue a new
client secret: the escrow is empty") and in ``intent`` for `idura-cognito deploy` (the same changes as data),
with ``inputs_digest``, a digest of the inputs they were worked out from. When such a run has no secret for
Cognito at all, ``client_secret`` is "": the plan goes on (it is shown, never applied by the product), and
Terraform's own precondition stops an apply of it before anything is created.

What allows a run (environment.py): a deploy grant (``IDURA_COGNITO_DEPLOY_GRANT``, written by `idura-cognito
deploy` for one run after the review) allows exactly the changes the reviewed plan announced, for exactly the
inputs it announced them for: a run whose inputs differ (a file changed between the review and the allowed plan)
is refused before any request, and one that finds Idura needing a change the review did not announce is
refused before any change. Without a grant, rendered HCL follows ``IDURA_MANAGEMENT_ALLOW_CHANGES``; a CDKTF
stack (``--changes-only-in-idura-cognito-deploy``) only reads.

The work is a decision, then its steps: :func:`decide` compares what exists at Idura with what the query wants
(pure, no I/O); :func:`describe` and :func:`intent` say what an allowed run would do; :func:`carry_out` does it.

Query keys (every value is checked by the rule table, rules.py):
  idura_domain        the Idura domain, e.g. acme-corp.idura.broker
  client_id           the application's client id (realm)
  application_name    name shown at Idura (used when creating)
  redirect_uris       a JSON array inside the string: Cognito's https://<host>/oauth2/idpresponse URLs;
                      added, never removed
  cognito_host        the stack's Cognito domain host; every redirect URL must be on it
  post_logout_uris    optional, a JSON array inside the string: the app clients' sign_out URLs, where Idura's
                      end-session endpoint may send the browser back (Idura keeps them with the callback URLs);
                      added, never removed. Contract field: a proposal (docs/idura-management-api.md)
  have_secret         "true" when the escrow holds a secret, else "false"
  escrowed_secret_id  optional: Idura's id of the escrowed secret. "" with a secret escrowed means the id is
                      unknown (a secret put by hand, an escrow from 0.1): it is never guessed, a new secret
                      is issued; another current id at Idura means the escrow holds a dead secret: the same
  escrow_arn          optional, unused: older roots pass it

Result keys: client_id, client_secret ("" unless issued now), issuer, application_id, secret_id (the id of the
secret Terraform stores), action (created / updated / rotated / unchanged / pending), pending ("" or what an
allowed run would change), intent (a JSON array of [change, detail] pairs, "[]" when nothing) and inputs_digest.
Credentials come from the environment, never from the query. Runs as ``python3 -I -B <program folder>
[--changes-only-in-idura-cognito-deploy]`` with only the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass

if __package__ in (None, ""):  # run as a script or from the zipapp: siblings are importable from here
    import environment  # type: ignore[no-redef]
    import oidc  # type: ignore[no-redef]
    from oidc import USERINFO_STRATEGY  # type: ignore[no-redef]
    from rules import QUERY_RULES, cognito_host_problem, short  # type: ignore[no-redef]
else:
    from . import environment, oidc
    from .oidc import USERINFO_STRATEGY
    from .rules import QUERY_RULES, cognito_host_problem, short

REQUIRED = ("idura_domain", "client_id", "application_name", "redirect_uris", "cognito_host", "have_secret")
OPTIONAL = ("escrowed_secret_id", "escrow_arn", "post_logout_uris")
MAX_INPUT = 64 * 1024
MAX_REDIRECT_URIS = 50  # one per Cognito domain of every pool that shares the application; 50 bounds the query


class InputError(Exception):
    pass


class ConcurrentRun(Exception):
    """Another run created the application at the same moment; it issues and escrows the secret."""


class Unreviewed(Exception):
    """A deploy grant's run would change Idura in a way, or for inputs, the reviewed plan did not announce."""


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
        "cognito_host",
        "have_secret",
        "escrowed_secret_id",
        "escrow_arn",
    ):
        problem = QUERY_RULES[key].problem(query.get(key, ""))
        if key == "cognito_host" and not problem:
            problem = cognito_host_problem(query[key])
        if problem:
            raise InputError(f"query.{key}: {problem}")
    return {
        "domain": query["idura_domain"],
        "client_id": query["client_id"],
        "name": query["application_name"],
        "redirect_uris": _redirect_uris(query["redirect_uris"], query["cognito_host"]),
        "post_logout_uris": _post_logout_uris(query.get("post_logout_uris", "[]")),
        "have_secret": query["have_secret"] == "true",
        "escrowed_secret_id": query.get("escrowed_secret_id", ""),
    }


def _redirect_uris(raw: str, cognito_host: str) -> list[str]:
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
        if uri != f"https://{cognito_host}/oauth2/idpresponse":  # only this stack's own Cognito host
            raise InputError(
                f"query.redirect_uris: {short(uri)} is not this stack's Cognito redirect URL "
                f"(https://{cognito_host}{oidc.COGNITO_REDIRECT_PATH})"
            )
    return list(dict.fromkeys(uris))


def _post_logout_uris(raw: str) -> list[str]:
    try:
        uris = json.loads(raw)
    except ValueError:
        raise InputError("query.post_logout_uris: must be a JSON array of URLs inside the string") from None
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise InputError("query.post_logout_uris: must be a JSON array of URL strings")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InputError(f"query.post_logout_uris: at most {MAX_REDIRECT_URIS} URLs")
    for uri in uris:
        problem = QUERY_RULES["post_logout_uris[]"].problem(uri)
        if not problem and not uri.startswith("https://"):  # the management contract's returnUrls
            problem = "Idura's management API registers https:// URLs only"
        if problem:
            raise InputError(f"query.post_logout_uris: {problem}")
    return list(dict.fromkeys(uris))


def wanted_urls(query: dict) -> list[str]:
    """Every URL the application must hold: Cognito's redirect URLs, then the sign-out URLs."""
    return list(dict.fromkeys([*query["redirect_uris"], *query.get("post_logout_uris", [])]))


@dataclass(frozen=True)
class Decision:
    """What an allowed run does, from what exists (``app``) and what the query wants. No I/O."""

    create: bool
    add_urls: tuple[str, ...]
    fix_code_flow: bool
    fix_strategy: bool
    rotation: str  # why a new secret is needed, "" when the escrowed one is current

    @property
    def update(self) -> bool:
        return bool(self.add_urls) or self.fix_code_flow or self.fix_strategy


def decide(app, query: dict) -> Decision:
    if app is None:
        return Decision(True, tuple(wanted_urls(query)), False, False, "the application does not exist yet")
    return Decision(
        create=False,
        add_urls=tuple(u for u in wanted_urls(query) if u not in app.return_urls),
        fix_code_flow=not app.code_flow,
        fix_strategy=app.user_info_strategy != USERINFO_STRATEGY,
        rotation=rotation_reason(app, query),
    )


def rotation_reason(app, query: dict) -> str:
    """Why a new secret is needed ("" when the escrowed one is Idura's current one, by its id)."""
    if not query["have_secret"]:
        return "the escrow is empty"
    if app.secret_id is None:
        return "Idura holds no secret for the application"
    if not query["escrowed_secret_id"]:
        return "the escrowed secret has no Idura id, so it cannot be shown to be the current one"
    if app.secret_id != query["escrowed_secret_id"]:
        return "the escrowed secret is not Idura's current one"
    return ""


def describe(decision: Decision, query: dict) -> list[str]:
    """What an allowed run would change, one phrase each (the plan's ``pending``); every URL it would register
    is named, a new application's too."""
    lines = []
    if decision.create:
        lines.append(
            f"would create application {query['client_id']} on {query['domain']} (code flow on, "
            f"{USERINFO_STRATEGY} user info)"
        )
    sign_out = set(query.get("post_logout_uris", []))
    lines += [f"would add {'sign-out' if u in sign_out else 'redirect'} URL {u}" for u in decision.add_urls]
    lines += ["would turn the OAuth2 code flow on"] if decision.fix_code_flow else []
    lines += [f"would set the user info strategy to {USERINFO_STRATEGY}"] if decision.fix_strategy else []
    lines += [f"would issue a new client secret: {decision.rotation}"] if decision.rotation else []
    return lines


def intent(decision: Decision, query: dict) -> list[list[str]]:
    """The same changes as data, for `idura-cognito deploy` to hand to the allowed run (environment.DEPLOY_GRANT):
    [change, detail] pairs, in the order they are made."""
    changes = [["create_application", query["client_id"]]] if decision.create else []
    changes += [["add_return_url", url] for url in decision.add_urls]
    changes += [["turn_on_code_flow", ""]] if decision.fix_code_flow else []
    changes += [["set_userinfo_strategy", USERINFO_STRATEGY]] if decision.fix_strategy else []
    changes += [["issue_secret", ""]] if decision.rotation else []
    return changes


def inputs_digest(query: dict) -> str:
    """A digest of everything the decision is worked out from (the validated query): a grant is good for exactly
    the inputs of the reviewed plan."""
    canonical = json.dumps(query, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def check_granted(decision: Decision, query: dict, grant: dict) -> list[list[str]]:
    """The changes to make under ``grant``: only announced ones, or Unreviewed before anything is sent."""
    wanted = intent(decision, query)
    unannounced = [change for change in wanted if change not in grant["intent"]]
    if unannounced:
        shown = "; ".join(f"{change} {detail}".strip() for change, detail in unannounced)
        raise Unreviewed(
            f"Idura needs changes the reviewed plan did not announce ({shown}): something changed at Idura since "
            "the review; nothing was changed. Run `idura-cognito deploy` again to review them"
        )
    return wanted


def carry_out(client, query: dict, app, decision: Decision) -> tuple[object, str, str, str]:
    """Make the decided changes; returns (application, action, issued secret, its id)."""
    domain, realm = query["domain"], query["client_id"]
    action = "unchanged"
    if decision.create:
        app, created = client.create(domain, realm=realm, name=query["name"], return_urls=wanted_urls(query))
        if not created:  # a conflict, or our own create whose answer was lost: either way not ours to key
            raise ConcurrentRun(
                f"application {realm} on {domain} was created by another run at the same moment (or by this "
                "run, its answer lost): plan again once any other run has finished"
            )
        action = "created"
        made = decide(app, query)  # what the create left to do; its secret is always issued now
        decision = Decision(False, made.add_urls, made.fix_code_flow, made.fix_strategy, "just created")
    if decision.update:
        app = client.update(domain, app.id, return_urls=[*app.return_urls, *decision.add_urls])
        action = "updated" if action == "unchanged" else action
    if not decision.rotation:
        return app, action, "", query["escrowed_secret_id"]
    # Replaces exactly the secret id seen (none after a create): a request of ours that completes late at Idura
    # is refused there, and a secret issued meanwhile is re-read and replaced.
    secret, secret_id = client.rotate_secret(domain, app)
    return app, ("created" if action == "created" else "rotated"), secret, secret_id


def ensure_application(
    client, query: dict, allowed: bool, grant: dict | None = None, grant_path: str = ""
) -> dict[str, str]:
    """Find the application, decide, and either report (``allowed`` false: nothing is sent but the find) or act;
    with a ``grant``, act only as it allows (the grant is used up before the first change).

    Never guesses a secret id: a read-only run returns the escrowed id only when it is Idura's current one
    (no rotation is due), else "" with no secret, which Terraform's precondition refuses to apply.
    """
    app = client.find(query["domain"], query["client_id"])
    decision = decide(app, query)
    if grant is not None:
        if check_granted(decision, query, grant):
            environment.claim_grant(grant_path)
        allowed = True
    if allowed:
        app, action, secret, secret_id = carry_out(client, query, app, decision)
        pending, changes = "", []
    else:
        pending_lines = describe(decision, query)
        action, secret, pending = ("pending" if pending_lines else "unchanged"), "", "; ".join(pending_lines)
        secret_id = query["escrowed_secret_id"]  # passed through, never guessed: a due rotation is in pending
        changes = intent(decision, query)
    return {
        "client_id": query["client_id"],
        "client_secret": secret,
        "issuer": f"https://{query['domain']}",
        "application_id": app.id if app else "",
        "secret_id": secret_id,
        "action": action,
        "pending": pending,
        "intent": json.dumps(changes, separators=(",", ":")),
        "inputs_digest": inputs_digest(query),
    }


def main(stdin=None, stdout=None, stderr=None, argv=None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    arguments = sys.argv[1:] if argv is None else argv
    try:
        unknown = [a for a in arguments if a != environment.DEPLOY_ONLY_FLAG]
        if unknown:
            raise InputError(f"unknown argument {unknown[0][:40]!r}; the only one is {environment.DEPLOY_ONLY_FLAG}")
        query = parse_query(stdin.read(MAX_INPUT + 1))
        grant_path = os.environ.get(environment.DEPLOY_GRANT, "")
        grant = environment.load_grant(grant_path) if grant_path else None
        if grant is not None and grant["digest"] != inputs_digest(query):
            raise Unreviewed(
                "this run's inputs differ from those of the reviewed plan (a file changed between the review and "
                "this run?); nothing was sent to Idura. Run `idura-cognito deploy` again to review them"
            )
        allowed = grant is None and environment.changes_allowed(deploy_only=environment.DEPLOY_ONLY_FLAG in arguments)
    except (InputError, environment.SwitchError, environment.GrantError, Unreviewed) as exc:
        return _fail(stderr, str(exc))
    if __package__ in (None, ""):
        import management  # type: ignore[no-redef]  # deferred: a run that fails its input never loads it
    else:
        from . import management
    try:
        client = management.ManagementClient.from_environment()
        try:
            result = ensure_application(client, query, allowed, grant, grant_path)
        finally:
            client.close()
    except (management.ManagementError, ConcurrentRun, Unreviewed, environment.GrantError) as exc:
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
