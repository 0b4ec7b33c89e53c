"""idura-cognito: AWS Cognito federated with the Idura Verify eID broker, as code."""

#: The one place the version is written (pyproject.toml reads it from here).
__version__ = "0.4.0.dev0"
