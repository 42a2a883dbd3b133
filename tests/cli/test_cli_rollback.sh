#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# An import that fails half way leaves nothing behind: kmipd (started here,
# with the test PKI of integration/with_server.py --server none) accepts
# requests of at most 4096 bytes, so the key pair registers and the
# certificate (made larger by a long comment) is refused; the private and
# public keys already registered are destroyed again.
# Usage: test_cli_rollback.sh P11KMIP KMIPD
set -eu
p11kmip=$1 kmipd=$2
work=$P11KMIP_TEST_DIR/cli-rollback
mkdir -p "$work"
. "$(dirname "$0")/cli_test_lib.sh"

port=$(/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' \
    >"$work/master.key")
cat >"$work/kmipd.json" <<JSON
{ "listen": "127.0.0.1:$port", "ca": "$P11KMIP_TEST_CA",
  "cert": "$P11KMIP_TEST_SERVER_CERT", "key": "$P11KMIP_TEST_SERVER_KEY",
  "database": "$work/kmipd.sqlite", "master_key": "$work/master.key",
  "log_file": "$work/kmipd.log", "max_message": 4096 }
JSON
"$kmipd" -c "$work/kmipd.json" &
kmipd_pid=$!
trap 'kill "$kmipd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q listening "$work/kmipd.log" 2>/dev/null && break
    sleep 0.1
done
grep -q listening "$work/kmipd.log" || fail "kmipd did not start"

unset P11KMIP_CONFIG P11KMIP_PIN
export P11KMIP_SERVER="127.0.0.1:$port" P11KMIP_CA="$P11KMIP_TEST_CA" \
    P11KMIP_CERT="$P11KMIP_TEST_CERT" P11KMIP_KEY="$P11KMIP_TEST_KEY"
comment=$(head -c 6000 /dev/zero | tr '\0' c)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" \
    -subj /CN=half -days 2 -addext "nsComment=$comment" \
    -out "$work/cert.pem" 2>/dev/null

echo "--- the certificate's Register fails; the keys are removed again"
# kmipd answers Invalid Message (exit 1) or closes the connection (4).
expect_exit "1|4" "$p11kmip" import "$work/key.pem" "$work/cert.pem" \
    --label half
expect_in "importing the certificate on token \"p11kmip\"" "$err"
expect_in "removed 2 of the 2 objects it had created" "$err"
expect_exit 0 "$p11kmip" list --json
expect_json 'length == 0'
echo "--- nothing was left behind"
