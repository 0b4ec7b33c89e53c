"""The Idura side of idura-cognito, importable as ``idura_verify``.

The program's modules use only the standard library of Python 3.9+, so they also run on their own, as the
module's ``program/`` folder on a Terraform Cloud worker; ``emulator/`` (the local Idura) needs the [local] extra.
"""
