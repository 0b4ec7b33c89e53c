"""The CDKTF app (`cdktf.json` runs it): synthesize one stack per environment of idura-cognito.toml.

python main.py                  # every environment -> cdktf.out/stacks/<env>/cdk.tf.json
IDURA_COGNITO_CONFIG=prod.toml python main.py
"""

import sys

from idura_cognito.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["synth", *sys.argv[1:]]))
