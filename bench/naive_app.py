"""The benchmark's baseline: the same CDKTF app, with the provider bindings imported the ordinary way.

    python bench/naive_app.py <config> <outdir>
    IDURA_COGNITO_CDK=cdk-terrain python bench/naive_app.py <config> <outdir>   # the same on CDK Terrain

Importing the packages first makes idura_cognito.stacks.bindings find them loaded and skip its lazy loading,
so this builds exactly the same resources as `idura-cognito synth`, paying the eager import of ~2,100 modules.
The byte-identical test (tests/synth/test_lazy_bindings.py) compares the two outputs.
"""

import importlib
import os
import sys
from pathlib import Path

from idura_cognito.stacks.cdk_choice import chosen

CDK = chosen()
importlib.import_module(CDK.aws)  # the ordinary import under test (CDKTF: eager, ~2,100 modules)
importlib.import_module(CDK.external)

from idura_cognito.config import load_config  # noqa: E402 - after the ordinary import
from idura_cognito.stacks.app import synth  # noqa: E402


def main() -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    config, outdir = sys.argv[1], sys.argv[2]
    synth(load_config(config), Path(outdir))


if __name__ == "__main__":
    main()
