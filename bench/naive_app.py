"""The benchmark's baseline: the same CDKTF app, with the provider bindings imported the ordinary way.

    python bench/naive_app.py <config> <outdir>

Importing the packages first makes idura_cognito.stacks.bindings find them loaded and skip its lazy loading,
so this builds exactly the same resources as `idura-cognito synth`, paying the eager import of ~2,100 modules.
The byte-identical test (tests/synth/test_lazy_bindings.py) compares the two outputs.
"""

import os
import sys

import cdktf_cdktf_provider_aws  # noqa: F401 - the ordinary, eager import under test
import cdktf_cdktf_provider_external  # noqa: F401

from idura_cognito.config import load_config
from idura_cognito.stacks.app import synth


def main() -> None:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    config, outdir = sys.argv[1], sys.argv[2]
    synth(load_config(config), outdir)


if __name__ == "__main__":
    main()
