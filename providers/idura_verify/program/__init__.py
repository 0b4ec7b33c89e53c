"""The Terraform ``external`` data program: the Idura application, made Cognito-ready (``application.py``).

This folder is the program's only copy. Terraform runs it as ``python3 -I -B <this folder>`` (``__main__.py``),
from the module (``modules/idura-cognito/modules/idura-application`` finds it at
``../../../../providers/idura_verify/program``), from a rendered folder (the renderer writes it there) or from a
CDKTF stack (an asset of the stack). Standard library only, Python 3.9+: it runs on a bare Terraform worker.
The product imports its rule table, its OIDC helpers and its management client from here as
``idura_verify.program``.
"""
