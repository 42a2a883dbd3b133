#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI with no server: help, exit codes, usage errors, config init and
# show, decode. Run by integration/with_server.py --server none (for the
# test PKI). Usage: test_cli_usage.sh P11KMIP VECTORS_DIR
set -eu
p11kmip=$1 vectors=$2
work=$P11KMIP_TEST_DIR/cli-usage
mkdir -p "$work"
. "$(dirname "$0")/cli_test_lib.sh"
unset P11KMIP_SERVER P11KMIP_CA P11KMIP_CERT P11KMIP_KEY P11KMIP_PIN
export P11KMIP_CONFIG="$work/p11kmip.json"

echo "--- help for the tool and every command"
expect_exit 0 "$p11kmip" --help
for command in config keygen import list show uri keyfile destroy sign \
    pubkey decode; do
    expect_in "  $command " "$out"
done
for command in config keygen import list show uri keyfile destroy sign \
    pubkey decode; do
    expect_exit 0 "$p11kmip" "$command" --help
    expect_in "usage: p11kmip $command" "$out"
done
expect_exit 0 "$p11kmip" config init --help
expect_in "add-slot" "$out"

echo "--- usage errors exit 2"
expect_exit 2 "$p11kmip"
expect_exit 2 "$p11kmip" frobnicate
expect_in "unknown command" "$err"
expect_exit 2 "$p11kmip" keygen rsa:2048
expect_exit 2 "$p11kmip" keygen dsa:1024 --label x
expect_in "rsa:2048" "$err"
expect_exit 2 "$p11kmip" list --id xyz
expect_in "expected an even number of hex digits" "$err"
expect_exit 2 "$p11kmip" list --id 0a1
expect_in "--id \"0a1\": expected an even number of hex digits" "$err"
expect_exit 2 "$p11kmip" show --id 0a:1
echo "--- a NUL byte (%00) in any text value of a URI is refused"
expect_exit 2 "$p11kmip" destroy "pkcs11:token=t;object=a%00evil" --yes
expect_in "the value of \"object\" holds a NUL byte" "$err"
expect_exit 2 "$p11kmip" list "pkcs11:token=t%00x;object=a"
expect_in "the value of \"token\" holds a NUL byte" "$err"
expect_exit 2 "$p11kmip" show "pkcs11:object=a?pin-value=1%002"
expect_in "\"pin-value\"" "$err"
# An id is bytes: %00 is one of them (exit 3: no configuration here).
expect_exit 3 "$p11kmip" show "pkcs11:id=%00%01"
expect_exit 2 "$p11kmip" list --type key
expect_in "secret-key" "$err"
expect_exit 2 "$p11kmip" list "http://example.com/"
expect_in "not a pkcs11: URI" "$err"
expect_exit 2 "$p11kmip" show
expect_in "name the object" "$err"
expect_exit 2 "$p11kmip" keyfile --label x
expect_exit 2 "$p11kmip" keyfile --label x --type cert --out "$work/x"
expect_exit 2 "$p11kmip" destroy --label x </dev/null
expect_exit 2 "$p11kmip" import --label x
expect_exit 2 "$p11kmip" config frobnicate

echo "--- no configuration exits 3 and says where it looked"
expect_exit 3 "$p11kmip" list
expect_in "$work/p11kmip.json" "$err"
expect_exit 3 "$p11kmip" config show
expect_in "$work/p11kmip.json" "$err"

echo "--- config init writes a file the loader reads back"
expect_exit 2 "$p11kmip" config init --label a --ca "$P11KMIP_TEST_CA"
expect_in "--server" "$err"
expect_exit 3 "$p11kmip" config init --label a --server 127.0.0.1:5696 \
    --ca "$work/missing.pem" --cert "$P11KMIP_TEST_CERT" \
    --key "$P11KMIP_TEST_KEY"
expect_in "missing.pem: not readable" "$err"
# Each option past its bounds is a usage error naming the option and
# what it takes (the bounds are written here, not read from the schema).
past_bounds() {
    for bad in "--kmip-version 3.7" "--kmip-version 0.9" "--pool 0" \
        "--pool 257" "--pool -1" "--timeout-ms 0" "--timeout-ms 3600001" \
        "--timeout-ms 4294967297" "--login pin" "--server no-port" \
        "--server h:65536" "--server h:0" \
        "--label abcdefghijklmnopqrstuvwxyz0123456"; do
        set -- $bad
        expect_exit 2 "$p11kmip" config init --label a \
            --server 127.0.0.1:5696 --ca "$P11KMIP_TEST_CA" \
            --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY" "$1" "$2"
        expect_in "$1 is \"$2\", expected" "$err"
    done
}
past_bounds
[ ! -e "$work/p11kmip.json" ] || fail "a refused configuration was written"
expect_exit 0 "$p11kmip" config init --label a --server 127.0.0.1:5696 \
    --server 127.0.0.2:5696 --ca "$P11KMIP_TEST_CA" \
    --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY" \
    --kmip-version 1.4 --timeout-ms 1500 --login key-passphrase --pool 256
expect_exit 2 "$p11kmip" config init --label b --server 127.0.0.1:5696 \
    --ca "$P11KMIP_TEST_CA" --cert "$P11KMIP_TEST_CERT" \
    --key "$P11KMIP_TEST_KEY"
expect_in "exists" "$err"
expect_exit 0 "$p11kmip" config show --json
expect_json '.slots | length == 1 and .[0].label == "a"
    and .[0].servers == ["127.0.0.1:5696", "127.0.0.2:5696"]
    and .[0].kmip_version == "1.4" and .[0].timeout_ms == 1500
    and .[0].login == "key-passphrase" and .[0].pool == 256'
expect_exit 0 "$p11kmip" config init --force --file "$work/bounds.json" \
    --label abcdefghijklmnopqrstuvwxyz012345 --server 127.0.0.1:65535 \
    --ca "$P11KMIP_TEST_CA" --cert "$P11KMIP_TEST_CERT" \
    --key "$P11KMIP_TEST_KEY" --pool 1 --timeout-ms 3600000 \
    --kmip-version 2.1
expect_exit 0 "$p11kmip" config show --json --file "$work/bounds.json"
expect_json '.slots[0].pool == 1 and .slots[0].timeout_ms == 3600000
    and .slots[0].kmip_version == "2.1"
    and .slots[0].servers == ["127.0.0.1:65535"]'
expect_exit 0 "$p11kmip" config init --force --file "$work/bounds.json" \
    --label a --server 127.0.0.1:1 --ca "$P11KMIP_TEST_CA" \
    --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY" --timeout-ms 1
expect_exit 0 "$p11kmip" config keys
expect_in "\"pool\", --pool: " "$out"
expect_in "\"key_password\", \$P11KMIP_KEY_PASSWORD: " "$out"
expect_in "an integer from 1 to 256; default 32" "$out"
expect_exit 0 "$p11kmip" config init --force --file "$work/other.json" \
    --label b --server 127.0.0.1:5696 --ca "$P11KMIP_TEST_CA" \
    --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY"
expect_exit 0 "$p11kmip" config show --file "$work/other.json"
expect_in "slot \"b\"" "$out"

echo "--- without P11KMIP_CONFIG: config init writes the user's own file"
(
    unset P11KMIP_CONFIG
    export XDG_CONFIG_HOME="$work/xdg"
    expect_exit 3 "$p11kmip" config show
    expect_in "create $work/xdg/p11kmip/p11kmip.json or" "$err"
    expect_exit 0 "$p11kmip" config init --label mine --server 127.0.0.1:1 \
        --ca "$P11KMIP_TEST_CA" --cert "$P11KMIP_TEST_CERT" \
        --key "$P11KMIP_TEST_KEY"
    expect_in "wrote $work/xdg/p11kmip/p11kmip.json" "$out"
    [ "$(stat -c %a "$work/xdg/p11kmip")" = 700 ] ||
        fail "the user's folder is not 0700"
    expect_exit 0 "$p11kmip" config show
    expect_in "slot \"mine\" (from $work/xdg/p11kmip/p11kmip.json)" "$out"
    chmod g+w "$work/xdg/p11kmip/p11kmip.json"
    expect_exit 3 "$p11kmip" config show
    expect_in "other users may write it (mode 0664)" "$err"
)

echo "--- config init --system writes /etc/p11kmip/p11kmip.json"
# Not as root (root runs it as nobody), so that the test never writes the
# system's file: the write is refused, and the message names the file.
unprivileged() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        "$@"
    fi
}
public=$(mktemp -d) # a copy nobody may run, wherever the build is
cp "$p11kmip" "$public/p11kmip"
chmod 755 "$public" "$public/p11kmip"
expect_exit 3 unprivileged env -u P11KMIP_CONFIG "$public/p11kmip" config \
    init --system --label a --server 127.0.0.1:1 --ca /etc/hostname \
    --cert /etc/hostname --key /etc/hostname
rm -r "$public"
expect_in "/etc/p11kmip/p11kmip.json.new: cannot write" "$err"

echo "--- a slot that needs a PIN says how to give one"
expect_exit 3 "$p11kmip" list --slot a </dev/null
expect_in "P11KMIP_PIN" "$err"
expect_exit 3 "$p11kmip" list --slot nosuch
expect_in "no slot labelled \"nosuch\"" "$err"

echo "--- the module's configuration errors exit 3 and name the key"
printf '{"slots":[{"label":"z","servers":["127.0.0.1:1"],"ca":"%s",
  "cert":"%s","key":"%s","pool":0}]}' "$P11KMIP_TEST_CA" \
    "$P11KMIP_TEST_CERT" "$P11KMIP_TEST_KEY" >"$work/pool0.json"
expect_exit 3 env P11KMIP_CONFIG="$work/pool0.json" "$p11kmip" list
expect_in '"slots[0].pool" is "0", expected an integer from 1 to 256' "$err"
expect_exit 3 env P11KMIP_CONFIG="$work" "$p11kmip" list
expect_in "not a regular file" "$err"
expect_exit 3 env P11KMIP_TIMEOUT_MS=3600001 "$p11kmip" config show
expect_in "P11KMIP_TIMEOUT_MS is \"3600001\"" "$err"

echo "--- decode"
expect_exit 0 "$p11kmip" decode --hex "$vectors/msg-locate-request.hex"
expect_in '"tag": "RequestMessage"' "$out"
echo "--- all usage checks passed"
