"""The external program's find-only plan against a tenant with 1, 1,000 and 5,000 applications on the domain.

A steady-state plan (no changes allowed, the escrow current) sends discovery and the find; the find reads the
collection page by page (our proposal, docs/idura-management-api.md "Paging") up to the page that holds the
realm. Each count is measured with the application created last, so it is on the collection's last page (the
worst case: every page is read); one more row puts it first among 5,000 (the find stops at page one). Run as a
bare worker runs it (program.py): a fresh copy of the program folder each run, ``python3 -I``. Each row is
printed as soon as it is measured (Bench.row), as every row of the benchmark is.
"""

from __future__ import annotations

import json
import secrets
import shutil
import ssl

import httpx
from measure import median, series
from program import HOST, _fresh_copy, python3

COUNTS = (1, 1_000, 5_000)
TARGET = 2.0  # 5,000 applications within twice the time of one
REDIRECT = f"https://{HOST}/oauth2/idpresponse"


def measure_applications(bench, idura, runs: int) -> list[str]:
    admin = httpx.Client(
        base_url=idura.base_url,
        verify=ssl.create_default_context(cafile=str(idura.ca_file)),
        headers={"Authorization": f"Bearer {idura.token}"},
        timeout=60,
    )
    real = python3()
    env = {**bench.env, **idura.environment()}  # no allow switch: a plan, which only reads
    first = _register_bench_application(admin, idura.domain)  # the oldest: on page one whatever follows
    held, medians = 1, {}  # held: the applications on the domain
    try:
        for count in COUNTS:
            target = first
            if count > held:  # the others, then the one the plan looks for: the newest, on the last page
                _fill(admin, idura.domain, count - held - 1)
                target, held = _register_bench_application(admin, idura.domain), count
            medians[count] = _row(bench, admin, real, env, idura.domain, target, count, "last", runs, medians)
        _row(bench, admin, real, env, idura.domain, first, COUNTS[-1], "first", runs, medians)
    finally:
        admin.close()
    ratio = medians[COUNTS[-1]] / medians[1]
    return [
        f"SUMMARY program-applications [find-only plan]: {COUNTS[-1]:,} applications {medians[COUNTS[-1]]:.3f} s "
        f"vs 1 {medians[1]:.3f} s = {ratio:.2f}x (target <= {TARGET}x): {bench.verdict(ratio <= TARGET)}"
    ]


def _register_bench_application(admin: httpx.Client, domain: str) -> dict:
    """A Cognito-ready application with a known secret id, as a converged stack leaves it."""
    realm, secret_id = f"urn:idura:bench:apps:{secrets.token_hex(4)}", f"sec_{secrets.token_hex(8)}"
    body = {"domain": domain, "realm": realm, "returnUrls": [REDIRECT], "secret": secrets.token_urlsafe(32)}
    admin.post("/_emulator/register", json=body | {"secretId": secret_id}).raise_for_status()
    return {"realm": realm, "secret_id": secret_id}


def _fill(admin: httpx.Client, domain: str, count: int) -> None:
    """``count`` other applications of the domain, registered in batches (each with two callback URLs)."""
    for start in range(0, count, 1000):
        batch = [
            {"domain": domain, "realm": f"urn:idura:bench:other:{secrets.token_hex(6)}", "returnUrls": [REDIRECT, n]}
            for n in (f"https://app{i}.example/signed-out" for i in range(start, min(count, start + 1000)))
        ]
        admin.post("/_emulator/register", json=batch).raise_for_status()


def _row(bench, admin, python, env, domain, target, count, position, runs, medians) -> float:
    query = json.dumps(
        {
            "idura_domain": domain,
            "client_id": target["realm"],
            "application_name": "bench",
            "redirect_uris": json.dumps([REDIRECT]),
            "cognito_host": HOST,
            "have_secret": "true",
            "escrowed_secret_id": target["secret_id"],
        }
    )

    def plan():
        folder = _fresh_copy(bench.work)
        measured = bench.run([python, "-I", str(folder)], bench.work, stdin=query, env=env)
        shutil.rmtree(folder.parent)
        result = json.loads(measured.stdout)
        if result["action"] != "unchanged" or result["client_secret"]:
            raise SystemExit(f"benchmark: the find-only plan did not find a converged application: {result}")
        return measured

    admin.delete("/_emulator/requests")
    plan()
    pages = sum(r["route"] == "find" for r in admin.get("/_emulator/requests").json()["requests"])
    walls = series(runs, plan)
    m = median(walls)
    name = f"program find-only plan, {count:,} applications"
    ratio = f", {m / medians[1]:.2f}x of 1" if 1 in medians else ""
    note = f"the application {position}: {pages} page(s) read{ratio}"
    bench.row(name if position == "last" else f"{name}, the application first", m, note)  # printed as measured
    return m
