"""Upgrading is a tested promise: stacks deployed with the previous release plan cleanly with this tree.

For the two newest releases in CHANGELOG.md (each built from the commit it names), four environments are deployed with
that release against moto and the Idura emulator: managed and hand-registered, each as a CDKTF stack and as a
rendered HCL root. Then this working tree takes over as a user upgrading would: it synthesizes or re-renders,
plans, deploys and plans again. Asserted from ``terraform show -json`` of the first plan after the upgrade:
nothing is replaced or destroyed, and every in-place change is one UPGRADING.md lists for that release. After the
deploy: the secret did not rotate (Idura's current secret id, the escrow and every Cognito provider hold what
they held), and the next plan has no changes.

Runs in `make test-upgrade` (CI runs it after `make test`): it deploys eight times and builds a release.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support import releases
from tests.support.config import write_config
from tests.support.paths import CLI, ROOT
from tests.support.secrets import assert_not_shown, cognito_secrets
from tests.support.terraform import TerraformDir

pytestmark = [pytest.mark.terraform, pytest.mark.upgrade]

HAND_SECRET = "upgrade-hand-registered-secret-0123456789abcdef"  # noqa: S105 - a test value, searched for


@dataclass(frozen=True)
class Environment:
    name: str
    managed: bool
    hcl: bool

    @property
    def root(self) -> str:
        return f"hcl/{self.name}" if self.hcl else f"cdktf.out/stacks/{self.name}"


ENVIRONMENTS = (
    Environment("mcdk", managed=True, hcl=False),
    Environment("hcdk", managed=False, hcl=False),
    Environment("mhcl", managed=True, hcl=True),
    Environment("hhcl", managed=False, hcl=True),
)


@dataclass
class Upgrade:
    release: releases.Release
    folder: Path
    first_plan: dict[str, dict] = field(default_factory=dict)  # env -> terraform show -json of the first plan
    first_plan_text: dict[str, str] = field(default_factory=dict)  # env -> what `idura-cognito deploy` showed
    secrets_before: dict[str, dict] = field(default_factory=dict)
    secrets_after: dict[str, dict] = field(default_factory=dict)
    final_plan_rc: dict[str, int] = field(default_factory=dict)
    state_moved: dict[str, bool] = field(default_factory=dict)  # hcl env -> its state is in the root's folder
    transcript: list[str] = field(default_factory=list)


def _config(idura_domain: str, release: str) -> dict:
    """Only keys the previous release reads (it refuses unknown ones). Names carry the release: every release
    tested deploys into the same moto and emulator."""
    stacks = {}
    for env in ENVIRONMENTS:
        stacks[env.name] = {
            "idura": {
                "domain": idura_domain if env.managed else "acme-corp.test.idura.broker",
                "client_id": _client_id(release, env),
                "secret_source": "managed" if env.managed else "hand-registered",
            },
            "user_pool": {"name": f"acme-upgrade-{_tag(release)}-{env.name}"},
            "domain": {"prefix": f"acme-upgrade-{_tag(release)}-{env.name}"},
            "identity_provider": {"scopes": ["openid"], "attributes": {"name": "name"}},
            "pinned_eids": [{"name": "MitID", "acr": "urn:grn:authn:dk:mitid:substantial"}],
            "app_client": {
                "callback_urls": ["https://app.acme.com/callback"],
                "logout_urls": ["https://app.acme.com/"],
            },
            "tags": {"team": "identity"},
        }
    return {"defaults": {"aws": {"region": "eu-north-1"}}, "stacks": stacks}


def _tag(release: str) -> str:
    return release.replace(".", "")


def _client_id(release: str, env: Environment) -> str:
    return f"urn:idura:test:upgrade-{_tag(release)}-{env.name}"


def _secrets(boto, idura_admin, env: Environment, folder: Path, release: str) -> dict:
    """What holds the client secret: the escrow document, every Cognito provider, Idura's current secret id."""
    outputs = TerraformDir(folder / env.root, dict(os.environ)).all_outputs()  # the product's runner
    pool_id = outputs["user_pool_id"]
    providers = cognito_secrets(boto, pool_id)
    escrow = boto("secretsmanager").get_secret_value(SecretId=outputs["escrow_secret_name"])["SecretString"]
    idura = None
    if env.managed:
        app = idura_admin.application(_client_id(release, env))
        idura = (app["oauth2"]["clientSecretId"], app["secretSha256"])
    return {"escrow": escrow, "providers": providers, "idura_secret": idura, "pool_id": pool_id}


@pytest.fixture(scope="module", params=[r for r in releases.releases() if r.key >= (0, 2, 0)][:2], ids=str)
def upgrade(request, tmp_path_factory, moto, boto, idura, idura_admin, cli_config) -> Upgrade:
    release: releases.Release = request.param
    work = tmp_path_factory.mktemp(f"upgrade-{release.version}")
    old = releases.install(release, work / "release")
    folder = work / "infra"
    folder.mkdir()
    config = folder / "idura-cognito.toml"
    write_config(config, _config(idura.domain, release.version))
    record = Upgrade(release, folder)
    base_env = {**idura.environment(), "TF_CLI_CONFIG_FILE": str(cli_config)}

    def tool(command: list[str], *args: str, env: dict | None = None, input: str | None = None, check=True):
        process = subprocess.run(
            [*command, *args],
            cwd=folder,
            env={**os.environ, **base_env, **(env or {})},
            input=input,
            capture_output=True,
            text=True,
            timeout=900,
        )
        record.transcript.append(f"$ {' '.join(args)}  # exit {process.returncode}\n{process.stdout}{process.stderr}")
        if check:
            assert process.returncode == 0, f"{args}: {process.stdout[-3000:]}\n{process.stderr[-3000:]}"
        return process

    def previous(*args: str, **kwargs):
        return tool(old.command(), *args, env={**old.environment(), **kwargs.pop("env", {})}, **kwargs)

    def current(*args: str, **kwargs):
        return tool([CLI], *args, **kwargs)

    def root_args(env: Environment) -> list[str]:
        return ["--hcl", env.root] if env.hcl else []

    # Deploy every environment with the previous release, as its README says.
    # 0.3.0 was cut from a commit whose version string still read 0.3.0.dev0 (CHANGELOG.md says so).
    assert previous("--version").stdout.strip() in (
        f"idura-cognito {release.version}",
        f"idura-cognito {release.version}.dev0",
    )
    for env in ENVIRONMENTS:
        if not env.managed:
            previous("secret", "put", "--stack", env.name, input=HAND_SECRET + "\n")
        if env.hcl:
            previous("hcl", "--stack", env.name, "--out", env.root)

    def deploy_previous(env: Environment) -> None:
        previous("deploy", "--stack", env.name, *root_args(env), "--auto-approve")

    # 0.2.0's client predates the vendor media type on create (issue 24); the emulator takes its creates only
    # while the previous release deploys. This tree's runs below meet the strict emulator.
    idura_admin.settings(plainJsonCreates=True)
    try:
        for env in ENVIRONMENTS:  # one at a time: CDKTF stacks share the synth output folder
            deploy_previous(env)
    finally:
        idura_admin.settings(plainJsonCreates=False)
    for env in ENVIRONMENTS:
        record.secrets_before[env.name] = _secrets(boto, idura_admin, env, folder, release.version)

    # Upgrade: this tree synthesizes or re-renders, shows the first plan, deploys, plans again.
    for env in ENVIRONMENTS:
        if env.hcl:  # UPGRADING.md: the root's state moves into its folder with the render
            current("hcl", "--stack", env.name, "--out", env.root, "--move-state")
            record.state_moved[env.name] = (folder / env.root / "terraform.tfstate").is_file() and not (
                folder / f"terraform.{env.name}.tfstate"
            ).exists()
        else:
            current("synth", "--stack", env.name)

    def upgrade_one(env: Environment) -> None:
        tf = TerraformDir.at(folder / env.root, cli_config, env=idura.environment())
        tf.init()
        plan_file = folder / f"{env.name}.first.tfplan"
        tf.run("plan", "-input=false", f"-out={plan_file}")
        record.first_plan[env.name] = json.loads(tf.run("show", "-json", str(plan_file)).stdout)
        plan_file.unlink()
        shown = current("deploy", "--stack", env.name, *root_args(env), "--auto-approve")
        record.first_plan_text[env.name] = shown.stdout + shown.stderr
        record.secrets_after[env.name] = _secrets(boto, idura_admin, env, folder, release.version)
        final = current("plan", "--stack", env.name, *root_args(env), "--detailed-exitcode", check=False)
        record.final_plan_rc[env.name] = final.returncode

    for env in ENVIRONMENTS:
        upgrade_one(env)
    (work / "transcript.txt").write_text("\n".join(record.transcript))
    return record


def _has_unknown(marks) -> bool:
    """after_unknown mirrors the value's structure with booleans: a block is unknown only where a True is."""
    if isinstance(marks, dict):
        return any(_has_unknown(v) for v in marks.values())
    if isinstance(marks, list):
        return any(_has_unknown(v) for v in marks)
    return marks is True


def _changes(plan: dict) -> list[tuple[str, tuple[str, ...], list[str]]]:
    """(address, actions, changed attribute names) for every resource change that is not a no-op or a read."""
    found = []
    for change in plan.get("resource_changes", []):
        actions = tuple(change["change"]["actions"])
        if actions in (("no-op",), ("read",)):
            continue
        before, after = change["change"].get("before") or {}, change["change"].get("after") or {}
        unknown = change["change"].get("after_unknown") or {}
        names = sorted(
            k
            for k in before.keys() | after.keys() | unknown.keys()
            if before.get(k) != after.get(k) or _has_unknown(unknown.get(k))
        )
        found.append((change["address"], actions, names))
    return found


def test_the_previous_release_is_built_from_the_commit_changelog_names(upgrade):
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert upgrade.release.commit != head.strip()
    assert f"idura-cognito {upgrade.release.version}" in upgrade.transcript[0]


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: e.name)
def test_the_first_plan_after_the_upgrade_replaces_and_destroys_nothing(upgrade, env):
    plan = upgrade.first_plan[env.name]
    lost = [(a, actions) for a, actions, _ in _changes(plan) if "delete" in actions]
    assert lost == [], upgrade.first_plan_text[env.name][-3000:]
    # A resource of a new feature may be created (UPGRADING.md lists each); a create of anything else is a
    # resource that did not arrive at its new address.
    new = documented_creations(upgrade.release.version)
    created = [
        a for a, actions, _ in _changes(plan) if actions == ("create",) and _resource_type_and_name(a) not in new
    ]
    assert created == [], upgrade.first_plan_text[env.name][-3000:]


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: e.name)
def test_every_in_place_change_of_the_first_plan_is_in_the_release_notes(upgrade, env):
    listed = documented_changes(upgrade.release.version)
    for address, actions, names in _changes(upgrade.first_plan[env.name]):
        if actions == ("create",):  # a new resource: the test above holds it to UPGRADING.md's list
            continue
        resource = _resource_type_and_name(address)
        for name in names:
            assert (resource, name) in listed, (
                f"{address}: {name} changes in place after upgrading from {upgrade.release.version}, and "
                f"UPGRADING.md does not list `{resource}` `{name}` for that release"
            )


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: e.name)
def test_the_secret_does_not_rotate(upgrade, env):
    before, after = upgrade.secrets_before[env.name], upgrade.secrets_after[env.name]
    assert after == before
    assert len(set(after["providers"].values())) == 1


@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: e.name)
def test_after_the_upgrade_deploy_the_next_plan_has_no_changes(upgrade, env):
    assert upgrade.final_plan_rc[env.name] == 0, upgrade.transcript[-1][-3000:]


def test_a_rendered_root_s_state_moved_into_its_folder(upgrade):
    # The root then plans, deploys and plans clean from there (the tests above run on the moved state).
    assert upgrade.state_moved == {"mhcl": True, "hhcl": True}


def test_no_secret_in_any_output(upgrade):
    held = [value for secrets in upgrade.secrets_after.values() for value in secrets["providers"].values()]
    assert_not_shown(upgrade.transcript + list(upgrade.first_plan_text.values()), HAND_SECRET, *held)


_CHANGE_LINE = re.compile(r"^- `(?P<resource>[a-z_]+\.[a-z_]+)` `(?P<attribute>[a-z_]+)`", re.M)


def documented_changes(version: str) -> set[tuple[str, str]]:
    """(resource type.name, attribute) pairs UPGRADING.md lists as the first plan's in-place changes after an
    upgrade from ``version`` (its section "From <version>", list "First plan")."""
    text = (ROOT / "UPGRADING.md").read_text()
    section = re.search(rf"^## From {re.escape(version)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    assert section, f"UPGRADING.md has no section '## From {version}'"
    first_plan = re.search(r"^### First plan.*?(?=^### |\Z)", section.group(), re.M | re.S)
    assert first_plan, f"UPGRADING.md: section 'From {version}' has no '### First plan'"
    return {(m["resource"], m["attribute"]) for m in _CHANGE_LINE.finditer(first_plan.group())}


_CREATED_LINE = re.compile(r"^- `(?P<resource>[a-z_]+\.[a-z_]+)` is created", re.M)


def documented_creations(version: str) -> set[str]:
    """Resources (type.name) the list "First plan" of UPGRADING.md's section "From <version>" says are created."""
    text = (ROOT / "UPGRADING.md").read_text()
    section = re.search(rf"^## From {re.escape(version)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    assert section, f"UPGRADING.md has no section '## From {version}'"
    return {m["resource"] for m in _CREATED_LINE.finditer(section.group())}


def _resource_type_and_name(address: str) -> str:
    """``module.idura_cognito.aws_cognito_user_pool.user_pool[0]`` -> ``aws_cognito_user_pool.user_pool``."""
    parts = [p for p in re.sub(r"\[[^\]]*\]", "", address).split(".") if p]
    while parts and parts[0] == "module":
        parts = parts[2:]
    return ".".join(parts[:2])


def test_the_release_notes_reader_reads_what_it_is_given(tmp_path):
    assert _resource_type_and_name('module.idura_cognito.aws_cognito_identity_provider.eid["MitID"]') == (
        "aws_cognito_identity_provider.eid"
    )
    assert (
        _resource_type_and_name("aws_secretsmanager_secret_version.escrow")
        == "aws_secretsmanager_secret_version.escrow"
    )
