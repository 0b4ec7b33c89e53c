"""idura-cognito: AWS Cognito federated with the Idura Verify eID broker, as code."""

__version__ = "0.1.0"
