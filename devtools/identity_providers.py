"""Local identity providers for trying and testing single sign-on: the real `oidc-provider`
(OpenID Connect) and `saml-idp` (SAML 2.0) from npm, on loopback. `python dev.py idp` starts
both for the demo organisation; the browser tests start their own.

Both need Node.js and `npm ci` (package.json)."""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The demo organisation's provider (devtools/demo.py configures the organisation to use it).
DEMO_OIDC_PORT = 7001
DEMO_CLIENT_ID = "polku"
DEMO_CLIENT_SECRET = "polku-demo-idp"  # noqa: S105 - a local demo provider's
DEMO_SSO_DOMAIN = "sso.polku.example"
IDP_DIR = ROOT / "devtools" / "idp"
SAML_IDP = ROOT / "node_modules" / "saml-idp" / "bin" / "run.js"
SAML_ISSUER = "urn:polku:demo-idp"


def available() -> str | None:
    """Why the local providers cannot run here, or None."""
    if not shutil.which("node"):
        return "Node.js is needed (apt-get install nodejs npm)"
    if not SAML_IDP.exists() or not (ROOT / "node_modules" / "oidc-provider").exists():
        return "run `npm ci` first"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(process: subprocess.Popen, port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider stopped (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the identity provider did not listen on {port} in {seconds} s")


@dataclass
class OpenIDProvider:
    process: subprocess.Popen
    issuer: str
    client_id: str
    client_secret: str


def oidc_start(
    *,
    port: int,
    redirect_uri: str,
    client_id="polku",
    client_secret="polku-secret",  # noqa: S107 - the local test provider's
    log=None,
) -> OpenIDProvider:
    process = subprocess.Popen(  # noqa: S603 - our own fixed command
        ["node", str(IDP_DIR / "oidc.mjs"), str(port), client_id, client_secret, redirect_uri],  # noqa: S607
        cwd=ROOT,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    _wait_listening(process, port)
    return OpenIDProvider(process, f"http://127.0.0.1:{port}", client_id, client_secret)


@dataclass
class SAMLProvider:
    process: subprocess.Popen
    entity_id: str
    sso_url: str
    certificate: str  # PEM


def signing_pair(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key for the provider's signatures (made once)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    cert_path, key_path = folder / "idp-cert.pem", folder / "idp-key.pem"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Polku demo IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def saml_start(
    *, port: int, acs_url: str, audience: str, folder: Path, email: str = "", log=None
) -> SAMLProvider:
    cert_path, key_path = signing_pair(folder)
    env = {**os.environ, "POLKU_SAML_EMAIL": email} if email else None
    process = subprocess.Popen(  # noqa: S603 - our own fixed command
        [  # noqa: S607
            "node",
            str(SAML_IDP),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--cert",
            str(cert_path),
            "--key",
            str(key_path),
            "--issuer",
            SAML_ISSUER,
            "--acsUrl",
            acs_url,
            "--audience",
            audience,
            "--configFile",
            str(IDP_DIR / "saml-config.cjs"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    _wait_listening(process, port)
    return SAMLProvider(
        process, SAML_ISSUER, f"http://127.0.0.1:{port}/saml/sso", cert_path.read_text()
    )


def demo_serve(organisation_slug: str, site_url: str) -> int:
    """The demo organisation's OpenID Connect provider, in the foreground (python dev.py idp)."""
    reason = available()
    if reason:
        print(reason)
        return 1
    callback = f"{site_url}/accounts/oidc/oidc-{organisation_slug}/login/callback/"
    provider = oidc_start(
        port=DEMO_OIDC_PORT,
        redirect_uri=callback,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
    )
    print(
        f"""
The demo organisation's sign-in service is running at {provider.issuer}   (Ctrl-C stops it)
On Polku's login page choose "Sign in with your work account" and give an address at
{DEMO_SSO_DOMAIN}, for example sanna.sso@{DEMO_SSO_DOMAIN} (invited to the demo cohort). On the
provider's page any password will do; "unverified:<address>" plays an address it has not
verified, which Polku refuses.
""",
        flush=True,
    )
    try:
        return provider.process.wait()
    except KeyboardInterrupt:
        provider.process.terminate()
        return 0
