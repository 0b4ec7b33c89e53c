"""The optional local part: stand-ins for the outside world, for ``demo``, ``local``, ``emulator`` and the tests.

- ``moto_server``: moto's server with the Cognito fidelity fixes the product relies on;
- ``processes``: start and stop moto and the Idura emulator (``idura_verify.emulator``) as child processes;
- ``external_stand_in``: a clearly labelled stand-in for the ``hashicorp/external`` provider on offline machines;
- ``federated_login``: Cognito's federated login (code for tokens, id token, userinfo) performed step by step.
- ``dashboard``: register an application at the Idura emulator as a person does in Idura's dashboard.

Needs the ``[local]`` extra. The runtime (plan, deploy, doctor, render, synth) never imports this package:
``tests/unit/test_architecture.py`` holds that.
"""
