// SPDX-License-Identifier: Apache-2.0
// Signs files with keys of a SunPKCS11 keystore, in one JVM:
//   java JavaSign.java CONFIG (ALIAS ALGORITHM IN OUT)...
// CONFIG is a SunPKCS11 configuration file, ALGORITHM a JCA signature name
// (SHA256withRSA, SHA256withECDSA); OUT receives the signature (DER for
// ECDSA), which OpenSSL verifies.
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;

public class JavaSign {
    public static void main(String[] args) throws Exception {
        Provider provider = Security.getProvider("SunPKCS11").configure(args[0]);
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, new char[0]);
        for (int i = 1; i + 3 < args.length; i += 4) {
            PrivateKey key = (PrivateKey) store.getKey(args[i], null);
            Signature signature = Signature.getInstance(args[i + 1], provider);
            signature.initSign(key);
            signature.update(Files.readAllBytes(Path.of(args[i + 2])));
            Files.write(Path.of(args[i + 3]), signature.sign());
        }
    }
}
