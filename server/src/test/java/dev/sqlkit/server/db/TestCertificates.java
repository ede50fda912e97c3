package dev.sqlkit.server.db;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and the server certificates they sign, for tests of TLS against a real
 * database: RSA 2048, SHA-256, valid for two days, with the extensions Java's TLS looks at
 * (basicConstraints CA:TRUE on a CA; CA:FALSE, serverAuth and a subjectAltName on a server's).
 *
 * <p>Made with the {@code openssl} command line, as an operator would. Where there is none, the JDK's
 * {@code keytool} makes the same files, so the tests need nothing beyond a JDK (the README's promise).
 */
final class TestCertificates {

    private static final String STORE_PASSWORD = "changeit"; // protects nothing: throw-away keys in a temp dir

    private TestCertificates() {
    }

    /** A certificate and its private key, both PEM files as mariadbd's --ssl-cert / --ssl-key take them. */
    record Issued(Path certificate, Path key) {
    }

    /** A CA: {@code certificate} is the PEM file that ssl_ca names. */
    record Authority(Path certificate, Path key, Path keyStore) {

        /** A server certificate signed by this CA, {@code subjectAltName} as openssl writes it: {@code IP:127.0.0.1,DNS:localhost}. */
        Issued issue(Path dir, String name, String subjectAltName) {
            Path certificate = dir.resolve(name + ".pem");
            Path key = dir.resolve(name + ".key");
            Path request = dir.resolve(name + ".csr");
            String commonName = "/CN=" + subjectAltName.replaceFirst("^[A-Z]+:", "").replaceFirst(",.*", "");
            if (openssl() != null) {
                Path extensions = write(dir.resolve(name + ".ext"), """
                        basicConstraints = critical, CA:FALSE
                        keyUsage = critical, digitalSignature, keyEncipherment
                        extendedKeyUsage = serverAuth
                        subjectAltName = %s
                        """.formatted(subjectAltName));
                run(openssl(), "req", "-new", "-newkey", "rsa:2048", "-sha256", "-nodes", "-subj", commonName,
                        "-keyout", key.toString(), "-out", request.toString());
                run(openssl(), "x509", "-req", "-in", request.toString(), "-CA", certificate().toString(),
                        "-CAkey", key().toString(), "-set_serial", serial(), "-sha256", "-days", "2",
                        "-extfile", extensions.toString(), "-out", certificate.toString());
            } else {
                Path store = dir.resolve(name + ".p12");
                keytool("-genkeypair", "-keystore", store.toString(), "-alias", "key", "-keyalg", "RSA", "-keysize", "2048",
                        "-sigalg", "SHA256withRSA", "-validity", "2", "-dname", commonName.substring(1));
                keytool("-certreq", "-keystore", store.toString(), "-alias", "key", "-file", request.toString());
                keytool("-gencert", "-keystore", keyStore().toString(), "-alias", "ca", "-infile", request.toString(),
                        "-outfile", certificate.toString(), "-rfc", "-sigalg", "SHA256withRSA", "-validity", "2",
                        "-ext", "BC:critical=ca:false", "-ext", "KU:critical=digitalSignature,keyEncipherment",
                        "-ext", "EKU=serverAuth", "-ext", "SAN=" + subjectAltName);
                writePrivateKey(store, key);
            }
            return new Issued(certificate, key);
        }
    }

    /** A self-signed CA named {@code name}. */
    static Authority authority(Path dir, String name) {
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Path store = dir.resolve(name + ".p12");
        String commonName = "/CN=sqlkit test " + name;
        if (openssl() != null) {
            run(openssl(), "req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2", "-nodes", "-subj", commonName,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                    "-set_serial", serial(), "-keyout", key.toString(), "-out", certificate.toString());
        } else {
            keytool("-genkeypair", "-keystore", store.toString(), "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048",
                    "-sigalg", "SHA256withRSA", "-validity", "2", "-dname", commonName.substring(1),
                    "-ext", "BC:critical=ca:true", "-ext", "KU:critical=keyCertSign,cRLSign");
            keytool("-exportcert", "-rfc", "-keystore", store.toString(), "-alias", "ca", "-file", certificate.toString());
        }
        return new Authority(certificate, key, store);
    }

    /** Which tool makes the certificates, for the test's log. */
    static String tool() {
        return openssl() != null ? openssl() : keytoolPath() + " (no openssl on PATH)";
    }

    /** The openssl on PATH, or null. */
    private static String openssl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "openssl"))) {
                return Path.of(directory, "openssl").toString();
            }
        }
        return null;
    }

    private static String keytoolPath() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(keytoolPath()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        run(command.toArray(String[]::new));
    }

    /** keytool keeps keys in a key store; mariadbd wants a PEM file (PKCS#8, as openssl 3 writes it too). */
    private static void writePrivateKey(Path store, Path key) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            byte[] encoded = keyStore.getKey("key", STORE_PASSWORD.toCharArray()).getEncoded();
            write(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(encoded) + "\n-----END PRIVATE KEY-----\n");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key from " + store + ": " + e, e);
        }
    }

    /** Distinct serials: TLS clients may cache certificates by issuer and serial. */
    private static String serial() {
        return new BigInteger(63, new SecureRandom()).toString();
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e, e);
        }
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        }
    }
}
