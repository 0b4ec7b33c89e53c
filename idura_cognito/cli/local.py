"""``idura-cognito local``: the local AWS (moto, with this tool's fidelity fixes) and the Idura emulator, for your
own config, in the foreground until Ctrl-C or SIGTERM (``kill``, a service manager), which stop both servers and
exit 0. ``idura-cognito local register --stack ENV`` stands in for Idura's dashboard in that trial.

It writes ``<dir>/env.sh`` (mode 0600: it holds the emulator's token): load it in another shell
(``. .idura-local/env.sh``) and every command of that shell reaches the local servers: the AWS provider and the
tool through ``AWS_ENDPOINT_URL``, the external program through ``IDURA_MANAGEMENT_URL``/``_TOKEN`` and the
emulator's CA. Set ``idura.domain`` to the printed ``localhost:PORT`` in your config. On a machine whose provider
mirror lacks ``hashicorp/external`` it also points Terraform at the stand-in the tests use.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shlex
import signal
import sys
from pathlib import Path

from .. import extras
from ..terraform import environment as terraform_environment
from . import local_register


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "local",
        help="run the local AWS (moto) and Idura emulator for your own config, until Ctrl-C or SIGTERM",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dir", default=".idura-local", metavar="DIR", help="where env.sh, logs and the CA go")
    parser.add_argument("--aws-port", type=int, default=None, metavar="PORT", help="moto's port (default: free)")
    parser.add_argument("--idura-port", type=int, default=None, metavar="PORT", help="the emulator's port")
    parser.set_defaults(handler=run)
    # `local` alone runs the servers; `local register` stands in for Idura's dashboard (cli/local_register.py).
    actions = parser.add_subparsers(dest="local_action", metavar="ACTION")
    local_register.add_to(actions)


def run(args: argparse.Namespace) -> int:
    extras.require("local", "local")
    from ..local.external_stand_in import install_stand_in
    from ..local.processes import start_idura_emulator, start_moto, stop_on_signals

    folder = Path(args.dir).resolve()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = os.environ.get("IDURA_EMULATOR_TOKEN") or secrets.token_urlsafe(24)
    # SIGINT (Ctrl-C) and SIGTERM (a service manager) stop both servers, also when started as a script's `cmd &`.
    with stop_on_signals() as servers:
        moto = start_moto(folder / "logs", port=args.aws_port)
        servers.append(moto)
        idura = start_idura_emulator(folder / "idura", token=token, port=args.idura_port)
        servers.append(idura.server)
        mirrors = terraform_environment.find_mirrors()
        extra = []
        external = "registry.terraform.io/hashicorp/external"
        if mirrors and not any(external in terraform_environment.mirrored_providers(m) for m in mirrors):
            extra.append(install_stand_in(folder / "stand-in-mirror"))
        cli_config = terraform_environment.write_cli_config(folder / "cli.tfrc", extra_mirrors=extra)
        variables = {
            "AWS_ENDPOINT_URL": moto.url,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "TF_CLI_CONFIG_FILE": str(cli_config),
            **idura.environment(),
        }
        env_file = folder / "env.sh"
        fd = os.open(env_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("# idura-cognito local: load with `. " + shlex.quote(str(env_file)) + "`\n")
            out.writelines(f"export {name}={shlex.quote(value)}\n" for name, value in variables.items())
        print(f"AWS (moto)        {moto.url}", flush=True)
        print(f'Idura emulator    {idura.domain}  (in your config: idura.domain = "{idura.domain}")', flush=True)
        print(f"environment       . {shlex.quote(str(env_file))}", flush=True)
        if extra:
            print("                  (hashicorp/external from the STAND-IN for offline machines)", flush=True)
        print("Ctrl-C (SIGINT) or SIGTERM stops both.", flush=True)
        while True:
            signal.pause()
    print("stopped", file=sys.stderr)
    return 0
