"""A local Idura Verify: the management API of docs/idura-management-api.md and a faithful OIDC side.

For `make demo` and the tests only. Start it with ``idura-cognito emulator --port N [--tls]``.
"""
