"""The Idura side of idura-cognito (this folder, ``providers/idura_verify``, is the package ``idura_verify``).

- ``program/``: the Terraform external data program, standard library only (Python 3.9+), and what the product
  imports from it: the rule table, the OIDC helpers, the management client;
- ``eids.py``: the eID capability table (standard library only);
- ``emulator/``: the local Idura, for the demo and the tests (the [local] extra).
"""
