"""One stack code, two CDKs: CDK Terrain (``cdktn``, CDKTF's maintained fork) writes the same Terraform as CDKTF.

Every test stack (the shared synth: new pool, existing pool, managed, hand-registered, pinned eIDs, S3 and local
backends) is synthesized again with ``IDURA_COGNITO_CDK=cdk-terrain`` and compared as JSON (CDK Terrain prints an
empty object as ``{}`` where CDKTF prints ``{\\n}``, so bytes differ where values do not). What may differ, and only
that: the provider versions the bindings pin (CDKTF's AWS 5.100.0 and external 2.3.5, CDK Terrain's AWS 6.x and
external 2.4.x), the provider source's spelling (``aws`` and ``hashicorp/aws`` are the same address) and the CDK's
version in the ``//`` metadata. AWS provider 6 renamed or removed no argument these stacks set (checked against
the upgrade guide, docs/migrating.md), so the adapter (idura_cognito/stacks/cdk.py) translates nothing: if a
later binding did, this comparison is where it shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from idura_cognito.definitions import versions
from idura_cognito.stacks import cdk_choice
from tests.support.paths import CLI, DEMO_CONFIG, ROOT

XDIST_GROUP = "synthesized"  # the shared synth of the test stacks (session fixture), on one worker
SCENARIO_SECONDS = 12

pytestmark = pytest.mark.skipif(
    not cdk_choice.installed(cdk_choice.CDK_TERRAIN), reason="the [cdk-terrain] extra is not installed"
)


@pytest.fixture(scope="module")
def terrain(synthesized):
    """The same config synthesized with CDK Terrain, beside the CDKTF output (relative paths come out equal)."""
    config, _ = synthesized
    outdir = config.parent / "cdktn.out"
    env = {**os.environ, "IDURA_COGNITO_CDK": "cdk-terrain", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run(
        [CLI, "synth", "--config", str(config), "--out", str(outdir), "--no-cache"],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return outdir


def stacks(outdir: Path) -> dict[str, dict]:
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(outdir.glob("stacks/*/cdk.tf.json"))}


def without_pins(stack: dict) -> tuple[dict, dict[str, tuple[str, str]], str]:
    """The stack without what may differ; returns (rest, provider -> (source, version), CDK version)."""
    stack = json.loads(json.dumps(stack))
    cdk_version = stack["//"]["metadata"].pop("version")
    pins = {}
    for name, requirement in stack["terraform"]["required_providers"].items():
        source = requirement.pop("source")
        pins[name] = (source if "/" in source else f"hashicorp/{source}", requirement.pop("version"))
    return stack, pins, cdk_version


def test_every_stack_is_the_same_terraform_apart_from_the_provider_pins(synthesized, terrain):
    cdktf, cdktn = stacks(synthesized[1]), stacks(terrain)
    assert sorted(cdktn) == sorted(cdktf) and len(cdktf) >= 5
    for name in cdktf:
        ours, pins_tf, version_tf = without_pins(cdktf[name])
        theirs, pins_tn, version_tn = without_pins(cdktn[name])
        assert theirs == ours, f"stack {name}: CDK Terrain writes other Terraform than CDKTF"
        assert (version_tf, version_tn) == ("0.21.0", "0.24.0")
        assert pins_tf["aws"] == ("hashicorp/aws", versions.AWS_PROVIDER_PINNED) == ("hashicorp/aws", "5.100.0")
        assert pins_tn["aws"] == ("hashicorp/aws", cdk_choice.CDK_TERRAIN.aws_pinned)
        if "external" in pins_tf:  # managed stacks
            assert pins_tn["external"] == ("hashicorp/external", cdk_choice.CDK_TERRAIN.external_pinned)


def test_moved_and_import_addresses_are_identical(synthesized, terrain):
    """A state written by either CDK (or by the rendered HCL) is carried by the same moved/import blocks."""
    cdktf, cdktn = stacks(synthesized[1]), stacks(terrain)
    for name in cdktf:
        assert cdktn[name].get("moved") == cdktf[name].get("moved")
        assert cdktn[name].get("import") == cdktf[name].get("import")
    assert any(stack.get("moved") for stack in cdktf.values())
    # Import blocks (an adopted stack) come from the same CDK-independent table, definitions/addresses.py.


def test_the_program_asset_is_the_same_folder(synthesized, terrain):
    def files(outdir: Path) -> dict[str, bytes]:
        return {
            p.relative_to(outdir).as_posix(): p.read_bytes()
            for p in sorted(outdir.glob("stacks/*/assets/**/*"))
            if p.is_file() and "__pycache__" not in p.parts  # byte code of a program another test ran there
        }

    ours = files(synthesized[1])
    assert ours and files(terrain) == ours


def test_both_pins_lie_in_the_range_the_module_and_the_docs_promise():
    lower, upper = (part.split()[1] for part in versions.AWS_PROVIDER.split(","))  # ">= 5.95, < 7.0"

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version.split("."))

    for pinned in (versions.AWS_PROVIDER_PINNED, cdk_choice.CDK_TERRAIN.aws_pinned):
        assert key(lower) <= key(pinned) < key(upper), pinned
    module = (ROOT / "modules/idura-cognito/versions.tf").read_text()
    assert f'version = "{versions.AWS_PROVIDER}"' in module
    migrating = (ROOT / "docs/migrating.md").read_text()
    assert f"`{versions.AWS_PROVIDER}`" in migrating and cdk_choice.CDK_TERRAIN.aws_pinned in migrating


def test_on_cdk_terrain_the_stacks_load_few_binding_modules_and_refuse_the_other_cdk_s_app(tmp_path):
    """The lazy-binding technique on CDK Terrain: only the used resource types' modules, and the core's per-call
    type-hint resolution replaced by jsii's memoized one (bindings.py). Then, in the same process (one jsii start
    for both), a team app built on the other CDK's App: jsii cannot mix CDKTF's and CDK Terrain's constructs, so
    the stack says which App to take instead."""
    probe = (
        "import sys, idura_cognito.stacks.app\n"
        "from jsii._type_checking import cached_type_hints\n"
        "print(sum(1 for m in sys.modules if m.startswith('cdktn_provider_aws.')))\n"
        "print(sys.modules['cdktn'].App.__init__.__globals__['typing'].get_type_hints is cached_type_hints)\n"
        "print(any(m.startswith('cdktf') for m in sys.modules))\n"
        "from cdktf import App\n"
        "from idura_cognito.stacks import IduraCognitoStack, load_config\n"
        "try:\n"
        f"    IduraCognitoStack(App(outdir={str(tmp_path)!r}), 'x', load_config({str(DEMO_CONFIG)!r}).stack('demo'))\n"
        "except TypeError as error:\n"
        "    print(error)\n"
    )
    env = {**os.environ, "IDURA_COGNITO_CDK": "cdk-terrain", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    count, memoized, cdktf_loaded, refusal = result.stdout.strip().split("\n")
    assert int(count) < 50  # the used resource types and their jsii support, of ~2,400
    assert memoized == "True" and cdktf_loaded == "False"  # one CDK per process
    assert refusal == (
        "IduraCognitoStack: the app is a cdktf App but idura-cognito runs on cdktn here: take App from "
        "idura_cognito.stacks, or set IDURA_COGNITO_CDK=cdktf"
    )
