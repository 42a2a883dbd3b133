# SPDX-License-Identifier: Apache-2.0
"""The KMIP side of a consumer-program test (tests/consumers/).

Run under with_server.py --server kmipd. Setup(build_dir, name) writes, in
P11KMIP_TEST_DIR/name, the p11kmip configuration for the server
with_server.py started and two OpenSSL configurations: "provider" (the
p11kmip provider activated) and "engine" (libp11's ENGINE over
p11kmip-pkcs11.so). Setup.key(kind, key_id) makes a key pair on the server
with `p11kmip keygen`, its key file, a self-signed certificate signed on
the server, and the SHA-256 of its SubjectPublicKeyInfo, read back with
`p11kmip pubkey`: what every test compares with what the peer saw.
"""

import contextlib
import grp
import hashlib
import os
import pwd
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

import servers

# Programs with workers run them as this user; GnuTLS and the p11-kit
# proxy run as this user too (p11-kit reads no per-user module file for
# root).
WORKER_USER = "nobody"
WORKER_GROUP = grp.getgrgid(pwd.getpwnam(WORKER_USER).pw_gid).gr_name
# The KMIP client key stays root's: forked workers use what the master
# loaded (programs run as the worker user from the start get it shared).
CLIENT_KEY_MODE = 0o600
ENGINE_SO = "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so"
KINDS = {"rsa": "rsa:2048", "ec": "ec:P-256"}
COMMAND_TIMEOUT_S = 60
TOKEN = "local-kmip"  # the slot's label: the token label

PROVIDER_CNF = """\
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
p11kmip = p11kmip_sect
[default_sect]
activate = 1
[p11kmip_sect]
module = {build}/provider/p11kmip.so
activate = 1
"""
ENGINE_CNF = """\
openssl_conf = openssl_init
[openssl_init]
engines = engine_sect
[engine_sect]
pkcs11 = pkcs11_sect
[pkcs11_sect]
engine_id = pkcs11
dynamic_path = {engine}
MODULE_PATH = {module}
init = 1
"""
CONFIG = """\
{{ "slots": [ {{ "label": "{token}", "servers": ["{server}"],
    "ca": "{ca}", "cert": "{cert}", "key": "{key}",
    "timeout_ms": 5000 }} ] }}
"""


class Failure(RuntimeError):
    """A step of a consumer test failed; the message says which and why."""


def run(argv, env=None, user=None, timeout=COMMAND_TIMEOUT_S, stdin=None):
    """Runs argv (as user, if given), returns its stdout and stderr
    together; Failure with the output when it fails or times out."""
    try:
        result = subprocess.run(argv, env=env, input=stdin,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=timeout,
                                user=user, check=False,
                                group=WORKER_GROUP if user else None)
    except subprocess.TimeoutExpired as err:
        raise Failure("%s: no answer within %d s" % (argv[0], timeout)) \
            from err
    output = result.stdout.decode(errors="replace")
    if result.returncode != 0:
        raise Failure("%s exited with %d:\n%s" %
                      (" ".join(argv), result.returncode, output))
    return output


def spki_sha256(public_key):
    """SHA-256 (hex) of a public key's DER SubjectPublicKeyInfo."""
    return hashlib.sha256(public_key.public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)).hexdigest()


def cert_spki_sha256(cert_der):
    """The SubjectPublicKeyInfo SHA-256 of a DER certificate."""
    return spki_sha256(x509.load_der_x509_certificate(cert_der).public_key())


def expect_key(seen, key, where):
    """Failure unless the public key fingerprint seen is key's."""
    if seen != key.fingerprint:
        raise Failure("%s saw public key %s, not %s's %s" %
                      (where, seen, key.label, key.fingerprint))


@dataclass(frozen=True)
class Key:
    """A key pair held by the KMIP server, with what tests need of it."""
    kind: str  # "rsa" or "ec"
    label: str
    key_id: str  # hex CKA_ID
    uri: str  # pkcs11: URI of the private key
    pubkey: str  # PEM file written by `p11kmip pubkey`
    cert: str  # self-signed certificate (PEM), CN=localhost
    keyfile: str  # URI-in-PEM key file for the provider's decoder
    fingerprint: str  # SHA-256 of the SubjectPublicKeyInfo

    @property
    def token_uri(self):
        """uri naming the token too (GnuTLS with p11-kit's module list
        stops at the first token that refuses a login)."""
        return "pkcs11:token=%s;%s" % (TOKEN, self.uri[len("pkcs11:"):])


class Setup:
    """The configuration files of one test program (see module doc)."""

    def __init__(self, build, name):
        self.build = os.path.abspath(build)
        self.dir = os.path.join(os.environ["P11KMIP_TEST_DIR"], name)
        os.makedirs(self.dir)
        self.module = os.path.join(self.build, "p11core", "p11kmip-pkcs11.so")
        self.cli = os.path.join(self.build, "cli", "p11kmip")
        self.config = self.write("p11kmip.json", CONFIG.format(
            token=TOKEN,
            server=os.environ["P11KMIP_TEST_SERVER"],
            ca=os.environ["P11KMIP_TEST_CA"],
            cert=os.environ["P11KMIP_TEST_CERT"],
            key=os.environ["P11KMIP_TEST_KEY"]))
        self.openssl_conf = {
            "none": "/dev/null",
            "provider": self.write("provider.cnf",
                                   PROVIDER_CNF.format(build=self.build)),
            "engine": self.write("engine.cnf", ENGINE_CNF.format(
                engine=ENGINE_SO, module=self.module)),
        }

    def path(self, name):
        return os.path.join(self.dir, name)

    def subdir(self, name):
        """A new directory in this one, for one server's files."""
        path = self.path(name)
        os.makedirs(path, 0o755)
        return path

    def write(self, name, text, mode=0o644):
        path = self.path(name)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode),
                  "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def server_files(self, name, conf_name, template, **fields):
        """A new directory name for one server, with its configuration
        conf_name made from template with dir, port (a free one), user and
        group (the worker's) besides fields. Returns (directory, conf,
        port)."""
        directory = self.subdir(name)
        port = servers.free_port()
        conf = os.path.join(directory, conf_name)
        with open(conf, "w", encoding="utf-8") as out:
            out.write(template.format(dir=directory, port=port,
                                      user=WORKER_USER, group=WORKER_GROUP,
                                      **fields))
        return directory, conf, port

    def env(self, openssl="none", **extra):
        """The environment of a program using the keys: OPENSSL_CONF picks
        the provider, the ENGINE or neither."""
        env = dict(os.environ, P11KMIP_CONFIG=self.config,
                   OPENSSL_CONF=self.openssl_conf[openssl])
        env.update(extra)
        return env

    def run(self, argv, openssl="none", home=None, **kwargs):
        """run() in env(openssl), with HOME=home if given."""
        extra = {"HOME": home} if home else {}
        return run(argv, env=self.env(openssl, **extra), **kwargs)

    def key(self, kind, key_id, cert_on_token=False):
        """A new key pair of kind ("rsa"/"ec") labelled NAME-KIND; with
        cert_on_token its certificate is imported with the same CKA_ID
        (what NSS, Java and OpenVPN look keys up by)."""
        label = "%s-%s" % (os.path.basename(self.dir), kind)
        key = Key(kind=kind, label=label, key_id=key_id,
                  uri="pkcs11:object=%s;type=private" % label,
                  pubkey=self.path(label + ".pub"),
                  cert=self.path(label + ".crt"),
                  keyfile=self.path(label + ".key.pem"), fingerprint="")
        self.run([self.cli, "keygen", KINDS[kind], "--label", label,
                  "--id", key_id])
        self.run([self.cli, "pubkey", "--label", label, "--out", key.pubkey])
        self.run([self.cli, "keyfile", "--label", label, "--out",
                  key.keyfile])
        self.run(["openssl", "req", "-new", "-x509", "-key", key.uri,
                  "-subj", "/CN=localhost", "-days", "2", "-addext",
                  "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "-out", key.cert], openssl="provider")
        if cert_on_token:
            self.run([self.cli, "import", key.cert, "--label", label,
                      "--id", key_id])
        with open(key.pubkey, "rb") as pem:
            fingerprint = spki_sha256(
                serialization.load_pem_public_key(pem.read()))
        return Key(**dict(vars(key), fingerprint=fingerprint))

    def keys(self, cert_on_token=False):
        """One RSA-2048 and one P-256 key: {"rsa": Key, "ec": Key}."""
        return {kind: self.key(kind, "%02x" % (index + 1), cert_on_token)
                for index, kind in enumerate(KINDS)}

    def worker_home(self):
        """A home directory for WORKER_USER whose p11-kit module file
        registers p11kmip-pkcs11.so; also shares the configuration."""
        self.share_with_workers(key_mode=0o644)  # WORKER_USER's own program
        home = self.subdir("home")
        modules = os.path.join(home, ".config", "pkcs11", "modules")
        os.makedirs(modules)
        with open(os.path.join(modules, "p11kmip.module"), "w",
                  encoding="utf-8") as out:
            out.write("module: %s\n" % self.module)
        user = pwd.getpwnam(WORKER_USER)
        for path in (home, os.path.join(home, ".config"),
                     os.path.dirname(modules), modules):
            os.chown(path, user.pw_uid, user.pw_gid)
        return home

    def share_with_workers(self, key_mode=CLIENT_KEY_MODE):
        """Lets WORKER_USER read the configuration, the KMIP client
        certificate and this directory; the client key gets key_mode."""
        top = os.environ["P11KMIP_TEST_DIR"]
        for directory in (top, self.dir):
            os.chmod(directory, 0o755)
        for name in ("P11KMIP_TEST_CA", "P11KMIP_TEST_CERT"):
            os.chmod(os.environ[name], 0o644)
        os.chmod(os.environ["P11KMIP_TEST_KEY"], key_mode)


class Matrix:
    """The cases of one program: each runs even when another failed; the
    measured matrix (program, variant, key kind, pass/fail, seconds) is
    printed at the end."""

    def __init__(self, program):
        self.program = program
        self.results = []

    @contextlib.contextmanager
    def case(self, variant, kind):
        start = time.monotonic()
        name = "%s %s %s" % (self.program, variant, kind)
        try:
            yield
        except Failure as err:
            self._record(name, "FAIL", start, str(err))
        except Exception:  # pylint: disable=broad-except
            self._record(name, "FAIL", start, traceback.format_exc())
        else:
            self._record(name, "pass", start, "")

    def each(self, variants, keys, check):
        """check(variant, key) as one case per variant and key."""
        for variant in variants:
            for key in keys.values():
                with self.case(variant, key.kind):
                    check(variant, key)
        return self

    def _record(self, name, verdict, start, why):
        seconds = time.monotonic() - start
        self.results.append((name, verdict, seconds))
        print("%s %s (%.1f s)%s" % (verdict, name, seconds,
                                    "\n" + why if why else ""), flush=True)

    def exit_status(self):
        """0 when every case passed (and there was one), else 1."""
        print("--- matrix ---")
        for name, verdict, seconds in self.results:
            print("%-40s %s %5.1f s" % (name, verdict, seconds))
        failed = [r for r in self.results if r[1] != "pass"]
        return 1 if failed or not self.results else 0


def server_test(build, name, variants, check):
    """The test of a server with workers: keys shared with the worker
    user, check(setup, variant, key) per variant and key; the Matrix."""
    setup = Setup(build, name)
    keys = setup.keys()
    setup.share_with_workers()
    return Matrix(name).each(variants, keys, lambda variant, key:
                             check(setup, variant, key))


def main(test):
    """Entry point of a consumer test script: test(build_dir) returns the
    Matrix; Failure outside a case (setup) fails the test."""
    servers.install_signal_handlers()
    try:
        return test(sys.argv[1]).exit_status()
    except Failure as err:
        print("setup failed: %s" % err, file=sys.stderr)
        return 1
