# SPDX-License-Identifier: Apache-2.0
# The kmipd part of test_cli_objects.sh (sourced after the common part):
# every key kind, show, uri, EC import, a chain, sign, pubkey, progress,
# config add-slot/show and a failing server.

echo "--- keygen of every kind"
for spec in rsa:3072 rsa:4096 ec:P-256 ec:P-384 ec:P-521 aes:128 aes:256; do
    bits=${spec#*:}
    bits=${bits#P-}
    expect_exit 0 "$p11kmip" keygen "$spec" --label "k-$spec" --json
    expect_json "all(.[]; .bits == $bits and .label == \"k-$spec\")"
done
expect_exit 0 "$p11kmip" list --type secret-key --json
expect_json 'length == 2 and all(.[]; .kind == "aes")'
expect_exit 2 "$p11kmip" keygen rsa:1024 --label weak
expect_in "unknown key" "$err"

echo "--- show and uri; a URI selects the object again"
expect_exit 0 "$p11kmip" show --label k-ec:P-384 --type private --json
expect_json '.curve == "P-384" and .usage == ["sign"]'
expect_exit 0 "$p11kmip" uri --label k-ec:P-384 --type public
expect_in "pkcs11:token=test-slot;" "$out"
expect_in "type=public" "$out"
expect_exit 0 "$p11kmip" show "$out"
expect_in "public" "$out"
expect_exit 1 "$p11kmip" show --label k-ec:P-384
expect_in "more than one" "$err"
echo "--- uri of a pair's label is the private key's"
expect_exit 0 "$p11kmip" uri --label k-ec:P-384
expect_in "type=private" "$out"
expect_exit 0 "$p11kmip" show "$out" --json
expect_json '.type == "private" and .label == "k-ec:P-384"'
echo "--- a URI without token= finds the objects on any slot"
expect_exit 0 "$p11kmip" show "pkcs11:object=k-ec:P-384;type=public" --json
expect_json '.type == "public" and .slot == "test-slot"'
expect_exit 0 "$p11kmip" list "pkcs11:object=k-ec:P-384" --json
expect_json 'length == 2'
echo "--- a %00 in a URI destroys nothing"
expect_exit 0 "$p11kmip" keygen aes:128 --label nul
expect_exit 2 "$p11kmip" destroy "pkcs11:token=test-slot;object=nul%00evil" \
    --yes
expect_exit 0 "$p11kmip" list --label nul --json
expect_json 'length == 1'
expect_exit 1 "$p11kmip" uri --label no-such-key
expect_in "no object" "$err"

echo "--- sign with an EC key; pubkey verifies it locally"
echo "a message" >"$work/message.txt"
expect_exit 0 "$p11kmip" sign --label k-ec:P-256 --in "$work/message.txt" \
    --out "$work/message.sig"
expect_exit 0 "$p11kmip" pubkey --label k-ec:P-256 --out "$work/ec.pub"
openssl dgst -sha256 -verify "$work/ec.pub" -signature "$work/message.sig" \
    "$work/message.txt" >/dev/null || fail "ECDSA signature does not verify"

echo "--- sign and pubkey take a URI like every command; RSA-PSS SHA-384"
expect_exit 0 "$p11kmip" sign "pkcs11:object=k-rsa:3072" --pss \
    --digest sha384 --in "$work/message.txt" --out "$work/pss.sig"
expect_exit 0 "$p11kmip" pubkey "pkcs11:token=test-slot;object=k-rsa:3072" \
    --out "$work/rsa.pub"
openssl dgst -sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48 \
    -verify "$work/rsa.pub" -signature "$work/pss.sig" "$work/message.txt" \
    >/dev/null || fail "RSA-PSS signature does not verify"
expect_exit 2 "$p11kmip" sign --label k-ec:P-256 --pss --in "$work/message.txt"
expect_in "--pss needs an RSA key" "$err"
expect_exit 2 "$p11kmip" pubkey --label k-ec:P-256 --type private
expect_in "takes a public key" "$err"
expect_exit 2 "$p11kmip" sign --label k-ec:P-256 --digest md5
expect_in "unknown digest" "$err"
expect_exit 1 "$p11kmip" sign --label no-such-key --in "$work/message.txt"
expect_in "no object" "$err"

echo "--- keyfile of an EC key, loaded by the provider"
expect_exit 0 "$p11kmip" keyfile "pkcs11:token=test-slot;object=k-ec:P-256" \
    --out "$work/ec.key"
expect_exit 0 load_keyfile "$work/ec.key"
expect_in "loaded EC 256" "$out"

echo "--- import an EC key, a lone public key, a chain"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
    -out "$work/ec-imp.key" 2>/dev/null
expect_exit 0 "$p11kmip" import "$work/ec-imp.key" --label ec-imp --id beef
expect_exit 0 "$p11kmip" list --id beef --json
expect_json 'length == 2 and all(.[]; .id == "beef" and .kind == "ec")
    and (.[] | select(.type == "public") | .curve) == "P-384"'
openssl pkey -in "$work/ec-imp.key" -pubout -out "$work/ec-imp.pub"
expect_exit 0 "$p11kmip" import "$work/ec-imp.pub" --label pub-only --json
expect_json 'length == 1 and .[0].type == "public"'
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" \
    -subj /CN=test-ca -days 2 -out "$work/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/leaf.key" \
    -subj /CN=leaf -out "$work/leaf.csr" 2>/dev/null
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.crt" \
    -CAkey "$work/ca.key" -days 2 -out "$work/leaf.crt" 2>/dev/null
cat "$work/ca.crt" "$work/leaf.crt" >"$work/chain.pem"
expect_exit 0 "$p11kmip" import "$work/leaf.key" "$work/chain.pem" \
    --label leaf --json
expect_json '[.[].label] == ["leaf", "leaf", "leaf", "leaf-ca1"]
    and .[2].type == "cert" and .[3].type == "cert"'
expect_exit 0 "$p11kmip" show --label leaf --type cert --json
expect_json '(.subject | test("leaf")) and (.issuer | test("test-ca"))'

echo "--- an import that cannot be whole creates nothing"
expect_exit 1 "$p11kmip" import "$work/imp.key" "$work/leaf.crt" --label mixed
expect_in "no certificate is the private key's" "$err"
expect_exit 1 "$p11kmip" import "$work/message.txt" --label junk
expect_in "message.txt: no PEM block" "$err"
expect_exit 0 "$p11kmip" list --label mixed --json
expect_json 'length == 0'

echo "--- progress appears on a step that outlasts the delay"
expect_exit 0 env P11KMIP_PROGRESS_MS=0 "$p11kmip" keygen aes:128 \
    --label slow
expect_in "generating aes:128 \"slow\" on token \"test-slot\" ..." "$err"
expect_in "done (" "$err"

echo "--- config add-slot, show, and a check that finds a dead server"
expect_exit 0 "$p11kmip" config add-slot --label dead --server 127.0.0.1:1 \
    --ca "$P11KMIP_TEST_CA" --cert "$P11KMIP_TEST_CERT" \
    --key "$P11KMIP_TEST_KEY" --timeout-ms 2000
expect_exit 2 "$p11kmip" config add-slot --label dead --server 127.0.0.1:1 \
    --ca "$P11KMIP_TEST_CA" --cert "$P11KMIP_TEST_CERT" \
    --key "$P11KMIP_TEST_KEY"
expect_in "already has a slot labelled \"dead\"" "$err"
expect_exit 0 "$p11kmip" config show --json
expect_json '[.slots[].label] == ["test-slot", "dead"]'
expect_exit 0 "$p11kmip" config show
expect_in "slot \"dead\"" "$out"
expect_exit 4 "$p11kmip" config check
expect_in "slot \"dead\" server 127.0.0.1:1: FAILED" "$out"
expect_in "1 of 2 servers failed" "$err"
expect_exit 0 "$p11kmip" config check --slot test-slot
expect_exit 4 "$p11kmip" list --slot dead
expect_in "on token \"dead\": no server of the slot answered" "$err"
expect_in "127.0.0.1:1" "$err"
expect_in "config check --slot \"dead\"" "$err"
echo "--- a URI without token= skips a slot that cannot be searched"
expect_exit 0 "$p11kmip" list "pkcs11:object=slow" --json
expect_json 'length == 1 and .[0].slot == "test-slot"'
expect_in "on token \"dead\"" "$err"

echo "--- exit codes: TLS refused (4), configuration (3), server refusal (1)"
expect_exit 0 "$p11kmip" config add-slot --label badtls \
    --server "$P11KMIP_TEST_SERVER" --ca "$P11KMIP_TEST_CERT" \
    --cert "$P11KMIP_TEST_CERT" --key "$P11KMIP_TEST_KEY"
expect_exit 4 "$p11kmip" list --slot badtls
expect_in "on token \"badtls\": no server of the slot answered" "$err"
expect_in "certificate verify failed" "$err"
expect_exit 4 "$p11kmip" config check --slot badtls
expect_in "FAILED" "$out"

echo "--- an encrypted client key opened by key_password or the environment"
openssl pkey -in "$P11KMIP_TEST_KEY" -aes256 -passout pass:s3cret \
    -out "$work/enc.key"
enc_slot() { # enc_slot EXTRA: a one-slot configuration with the encrypted key
    printf '{"slots":[{"label":"enc","servers":["%s"],"ca":"%s","cert":"%s",
      "key":"%s"%s}]}' "$P11KMIP_TEST_SERVER" "$P11KMIP_TEST_CA" \
        "$P11KMIP_TEST_CERT" "$work/enc.key" "$1"
}
enc_slot ',"key_password":"s3cret"' >"$work/enc.json"
chmod 600 "$work/enc.json"
expect_exit 0 env P11KMIP_CONFIG="$work/enc.json" "$p11kmip" list \
    --label k-ec:P-256 --json
expect_json 'length == 2 and all(.[]; .slot == "enc")'
expect_exit 0 env P11KMIP_CONFIG="$work/enc.json" "$p11kmip" config show --json
expect_json '.slots[0].key_password == "(hidden)"'
chmod 640 "$work/enc.json"
expect_exit 3 env P11KMIP_CONFIG="$work/enc.json" "$p11kmip" config show
expect_in "holds the secret \"slots[0].key_password\"" "$err"
enc_slot '' >"$work/enc-env.json"
expect_exit 0 env P11KMIP_CONFIG="$work/enc-env.json" \
    P11KMIP_KEY_PASSWORD=s3cret "$p11kmip" list --label k-ec:P-256 --json
expect_json 'length == 2'
# p11core reports a client key it cannot open as a device error (4).
expect_exit 4 env P11KMIP_CONFIG="$work/enc-env.json" \
    P11KMIP_KEY_PASSWORD=wrong "$p11kmip" list --label k-ec:P-256
expect_in "enc.key: wrong passphrase" "$err"

echo "--- destroy on a terminal: 'n' keeps the objects, 'y' destroys them"
expect_exit 1 sh -c 'printf "n\n" | script -qec "$0 destroy --label slow" \
    /dev/null' "$p11kmip"
expect_in "Revoke and destroy 1 object on token \"test-slot\"?" "$out"
expect_exit 0 "$p11kmip" list --label slow --json
expect_json 'length == 1'
expect_exit 0 sh -c 'printf "y\n" | script -qec "$0 destroy --label slow" \
    /dev/null' "$p11kmip"
expect_in "destroyed 1 object" "$out"
expect_exit 0 "$p11kmip" list --label slow --json
expect_json 'length == 0'

echo "--- destroy everything"
expect_exit 0 "$p11kmip" destroy --type private --yes
expect_exit 0 "$p11kmip" destroy --type public --yes
expect_exit 0 "$p11kmip" destroy --type secret-key --yes
expect_exit 0 "$p11kmip" destroy --type cert --yes
expect_exit 0 "$p11kmip" list --json
expect_json 'length == 0'
echo "--- all CLI checks passed against $server"
