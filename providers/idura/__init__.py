"""The Idura side of idura-cognito, importable as ``idura_verify``.

Every module here uses only the standard library (and httpx where it talks to Idura), so the files also run
on their own, e.g. next to generated HCL on a Terraform Cloud worker.
"""
