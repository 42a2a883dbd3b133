# SPDX-License-Identifier: Apache-2.0
"""Run a command against a temporary nginx serving HTTPS on 127.0.0.1.

    with_nginx.py --cert CERT --key KEY [--workers N] [--dir DIR]
                  [--protocols "TLSv1.2 TLSv1.3"] [--sigalgs LIST]
                  [--env NAME]... -- CMD...

KEY is what ssl_certificate_key takes: a key file (a URI-in-PEM file read by
the p11kmip provider's decoder) or "engine:pkcs11:pkcs11:..." (libp11's
ENGINE). nginx keeps OPENSSL_CONF, P11KMIP_CONFIG and each --env NAME in
its workers, runs its workers as root by default (so they read the
test's private directory; as a library, any user), and
serves "p11kmip nginx OK" at /. CMD runs with P11KMIP_TEST_NGINX set to
127.0.0.1:PORT; nginx is stopped afterwards, also on failure, and its error
log is printed when CMD fails. Exits with CMD's status.

As a library: `with running_nginx(cert, key, workdir) as nginx:` gives
nginx.address and nginx.worker_pids().
"""

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time

import servers

NGINX = "/usr/sbin/nginx"
START_TIMEOUT_S = 20.0

CONF = """\
daemon off;
master_process on;
user {user};
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
env OPENSSL_CONF;
env P11KMIP_CONFIG;
{env}events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key "{key}";
        ssl_protocols {protocols};
{sigalgs}        ssl_session_cache off;
        ssl_session_tickets off;
        location / {{ return 200 "p11kmip nginx OK\\n"; }}
    }}
}}
"""


def wait_until_listening(process, port, error_log):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise servers.ServerError("nginx exited with status %d:\n%s%s" %
                                      (process.returncode, tail(error_log),
                                       tail(error_log + ".stderr")))
        try:
            with socket.create_connection((servers.HOST, port), 1):
                return
        except OSError:
            time.sleep(0.1)
    raise servers.ServerError("nginx did not listen on port %d:\n%s" %
                              (port, tail(error_log)))


def wait_for_workers(nginx, count):
    """nginx listens before it has forked all its workers: wait for them."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while len(nginx.worker_pids()) < count:
        if time.monotonic() > deadline:
            raise servers.ServerError("nginx started %d of %d workers:\n%s" %
                                      (len(nginx.worker_pids()), count,
                                       tail(nginx.error_log)))
        time.sleep(0.05)


def tail(path, lines=30):
    try:
        with open(path, errors="replace") as log:
            return "".join(log.readlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


class Nginx:
    """A running nginx: its master process, address and error log."""

    def __init__(self, process, port, error_log):
        self.process = process
        self.port = port
        self.address = "%s:%d" % (servers.HOST, port)
        self.error_log = error_log

    def worker_pids(self):
        """The master's children, read from /proc."""
        path = "/proc/%d/task/%d/children" % (self.process.pid,
                                              self.process.pid)
        with open(path) as children:
            return [int(pid) for pid in children.read().split()]


@contextlib.contextmanager
def running_nginx(cert, key, workdir, workers=4,
                  protocols="TLSv1.2 TLSv1.3", sigalgs=None, user="root root",
                  env=()):
    """Starts nginx in workdir, waits until it listens (ServerError if it
    does not), yields an Nginx and stops it on exit. user: the workers'
    user and group; env: the names of variables the workers keep."""
    port = servers.free_port()
    conf = os.path.join(workdir, "nginx.conf")
    error_log = os.path.join(workdir, "error.log")
    with open(conf, "w") as out:
        sigalgs = ("        ssl_conf_command SignatureAlgorithms %s;\n" %
                   sigalgs if sigalgs else "")
        out.write(CONF.format(workers=workers, user=user, dir=workdir,
                              port=port,
                              protocols=protocols, sigalgs=sigalgs,
                              env="".join("env %s;\n" % name for name in env),
                              cert=os.path.abspath(cert),
                              key=key if key.startswith("engine:")
                              else os.path.abspath(key)))
    with open(error_log + ".stderr", "wb") as stderr:
        process = subprocess.Popen([NGINX, "-p", workdir, "-c", conf],
                                   stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
    try:
        wait_until_listening(process, port, error_log)
        nginx = Nginx(process, port, error_log)
        wait_for_workers(nginx, workers)
        yield nginx
    finally:
        stop(process)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--dir", help="working directory (default: new)")
    parser.add_argument("--protocols", default="TLSv1.2 TLSv1.3")
    parser.add_argument("--sigalgs", help="signature algorithms the server "
                        "may use (OpenSSL SignatureAlgorithms list)")
    parser.add_argument("--env", action="append", default=[],
                        help="an environment variable the workers keep")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")

    servers.install_signal_handlers()
    workdir = args.dir or tempfile.mkdtemp(prefix="p11kmip-nginx-")
    try:
        with running_nginx(args.cert, args.key, workdir, args.workers,
                           args.protocols, args.sigalgs,
                           env=args.env) as nginx:
            env = dict(os.environ, P11KMIP_TEST_NGINX=nginx.address)
            status = subprocess.run(command, env=env, check=False).returncode
            if status != 0:
                print("--- nginx error log tail ---\n" +
                      tail(nginx.error_log), file=sys.stderr)
            return status
    except servers.ServerError as error:
        print("with_nginx.py: %s" % error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
