"""``python -m idura_verify.emulator --port N [--tls --cert-dir DIR] [--token T]``: run the Idura emulator.

With --tls a throwaway CA (trustme) signs a certificate for localhost and 127.0.0.1; the CA goes to
``<cert-dir>/ca.pem`` so clients can trust it (IDURA_CA_BUNDLE). The management token comes from --token or
$IDURA_EMULATOR_TOKEN.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..program.environment import EMULATOR_TOKEN as TOKEN_ENV


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="idura-emulator", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="port on 127.0.0.1")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throwaway CA")
    parser.add_argument("--cert-dir", default=".idura-emulator", help="where --tls writes ca.pem (and the cert)")
    parser.add_argument("--token", default=None, help=f"management bearer token (default: ${TOKEN_ENV})")
    return parser.parse_args(argv)


def write_tls_files(cert_dir: Path) -> tuple[Path, Path, Path]:
    import trustme

    cert_dir.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ca_file, chain, key = cert_dir / "ca.pem", cert_dir / "server-chain.pem", cert_dir / "server-key.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_pem.write_to_path(str(key))
    with chain.open("wb") as out:
        for blob in cert.cert_chain_pems:
            out.write(blob.bytes())
    return ca_file, chain, key


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        print(f"idura-emulator: pass --token or set {TOKEN_ENV}", file=sys.stderr)
        return 2
    import uvicorn

    from .app import create_app

    tls = {}
    scheme = "http"
    if args.tls:
        ca_file, chain, key = write_tls_files(Path(args.cert_dir))
        tls = {"ssl_certfile": str(chain), "ssl_keyfile": str(key)}
        scheme = "https"
        print(f"idura-emulator: CA certificate at {ca_file}", file=sys.stderr, flush=True)
    print(
        f"idura-emulator: {scheme}://localhost:{args.port} (management: /management/v1)",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(create_app(token), host="127.0.0.1", port=args.port, log_level="warning", access_log=False, **tls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
