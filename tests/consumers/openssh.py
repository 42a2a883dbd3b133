# SPDX-License-Identifier: Apache-2.0
"""OpenSSH 9.2 with an RSA-2048 and a P-256 key held by kmipd, through
p11kmip-pkcs11.so: ssh-keygen -D lists our public keys; ssh -I logs in to a
private sshd (127.0.0.1, free port, its own host key and authorized_keys);
ssh-agent started with -P (the module is outside its default allowed
paths) takes the module with ssh-add -s and ssh logs in through it. sshd's
log must name our key's fingerprint. Usage: openssh.py BUILD_DIR, under
with_server.py."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__) + "/../../integration")
import consumers  # noqa: E402 pylint: disable=wrong-import-position
import daemons  # noqa: E402 pylint: disable=wrong-import-position
import servers  # noqa: E402 pylint: disable=wrong-import-position

SSHD = "/usr/sbin/sshd"
PRIVSEP_DIR = "/run/sshd"  # made by Debian's ssh.service; sshd needs it
SSHD_CONFIG = """\
ListenAddress 127.0.0.1:{port}
HostKey {dir}/host_key
PidFile {dir}/sshd.pid
AuthorizedKeysFile {dir}/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
LogLevel VERBOSE
"""
ASKPASS = "#!/bin/sh\necho\n"  # the token needs no PIN: an empty one


class Ssh:
    """sshd, the OpenSSH form of our keys and the ssh client options."""

    def __init__(self, setup, keys):
        self.setup = setup
        self.dir = setup.subdir("ssh")
        self.port = servers.free_port()
        self.authorized = {}
        self.fingerprints = {}
        for kind, key in keys.items():
            line = consumers.run(["ssh-keygen", "-i", "-m", "PKCS8", "-f",
                                  key.pubkey]).strip()
            self.authorized[kind] = line
            path = setup.write("ssh/%s.pub" % kind, line + "\n")
            self.fingerprints[kind] = consumers.run(
                ["ssh-keygen", "-l", "-E", "sha256", "-f", path]).split()[1]

    def sshd(self):
        os.makedirs(PRIVSEP_DIR, 0o755, exist_ok=True)
        consumers.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                       os.path.join(self.dir, "host_key")])
        conf = self.setup.write("ssh/sshd_config", SSHD_CONFIG.format(
            port=self.port, dir=self.dir))
        log = os.path.join(self.dir, "sshd.log")
        return daemons.running("sshd", [SSHD, "-D", "-e", "-f", conf],
                               self.setup.env(), self.port, log), log

    def login(self, kind, options, env, log):
        """Logs in as root with only kind's key authorized; sshd's log must
        then say it accepted our key."""
        self.setup.write("ssh/authorized_keys", self.authorized[kind] + "\n")
        before = len(daemons.log_tail(log + ".stderr", 10000).splitlines())
        output = consumers.run(
            ["ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
             "-o", "IdentityFile=none", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=" + os.path.join(self.dir, "known"),
             "-p", str(self.port), *options, "root@127.0.0.1",
             "echo", "logged-in"], env=env)
        if "logged-in" not in output:
            raise consumers.Failure("ssh did not run the command:\n" + output)
        wanted = ("Accepted publickey for root from 127.0.0.1",
                  self.fingerprints[kind])
        for _ in range(20):  # sshd may log after the client has left
            lines = daemons.log_tail(log + ".stderr",
                                     10000).splitlines()[before:]
            if any(line.startswith(wanted[0]) and line.endswith(wanted[1])
                   for line in lines):
                return
            time.sleep(0.1)
        raise consumers.Failure("sshd did not accept %s:\n%s" %
                                (wanted[1], "\n".join(lines[-10:])))


def list_keys(setup, ssh, kind):
    listed = setup.run(["ssh-keygen", "-D", setup.module])
    if ssh.authorized[kind].split()[1] not in listed:
        raise consumers.Failure("ssh-keygen -D did not list our %s key:\n%s"
                                % (kind, listed))


def agent(setup, ssh):
    """ssh-agent -P with the module added; returns the agent's
    environment and the running agent (a daemons context)."""
    sock = os.path.join(ssh.dir, "agent.sock")
    askpass = setup.write("ssh/askpass", ASKPASS, 0o755)
    env = setup.env(SSH_AUTH_SOCK=sock, SSH_ASKPASS=askpass,
                    SSH_ASKPASS_REQUIRE="force")
    allowed = os.path.join(os.path.dirname(setup.module), "*")
    return env, daemons.running(
        "ssh-agent", ["ssh-agent", "-D", "-a", sock, "-P", allowed], env,
        sock, os.path.join(ssh.dir, "agent.log"))


def test(build):
    setup = consumers.Setup(build, "openssh")
    keys = setup.keys()
    ssh = Ssh(setup, keys)
    matrix = consumers.Matrix("openssh")
    for kind in keys:
        with matrix.case("ssh-keygen -D", kind):
            list_keys(setup, ssh, kind)
    sshd, log = ssh.sshd()
    env, running_agent = agent(setup, ssh)
    with sshd, running_agent:
        for kind in keys:
            with matrix.case("ssh -I", kind):
                ssh.login(kind, ["-I", setup.module], setup.env(), log)
        with matrix.case("ssh-add -s", "rsa+ec"):
            consumers.run(["ssh-add", "-s", setup.module], env=env,
                          stdin=b"")
        for kind in keys:
            with matrix.case("ssh-agent -P", kind):
                ssh.login(kind, [], env, log)
    return matrix


if __name__ == "__main__":
    sys.exit(consumers.main(test))
