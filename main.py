"""The CDKTF app (`cdktf.json` runs it): synthesize one stack per environment of idura-cognito.toml.

python main.py                  # every environment -> cdktf.out/stacks/<env>/cdk.tf.json
IDURA_COGNITO_CONFIG=prod.toml python main.py
"""

import os
import sys
from pathlib import Path

from idura_cognito.cli.main import main

if __name__ == "__main__":
    if not Path("idura-cognito.toml").is_file():  # this repository's own config is the embedded demo's
        os.environ.setdefault(
            "IDURA_COGNITO_CONFIG", str(Path(__file__).parent / "idura_cognito/demo/idura-cognito.toml")
        )
    sys.exit(main(["synth", *sys.argv[1:]]))
