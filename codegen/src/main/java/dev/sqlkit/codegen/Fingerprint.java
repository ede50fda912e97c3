package dev.sqlkit.codegen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SHA-256 over everything that determines the generated sources: each migration file (its path
 * relative to the migrations folder and its bytes) and the configuration texts handed in (plugin
 * versions and configurations). Any edit, addition, removal or rename of a migration changes it.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    static String of(Path migrations, List<String> configuration) {
        MessageDigest digest = sha256();
        for (Path file : filesUnder(migrations)) {
            update(digest, "file:" + migrations.relativize(file).toString().replace('\\', '/'));
            try {
                update(digest, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String part : configuration) {
            update(digest, "config:" + part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> filesUnder(Path migrations) {
        try (Stream<Path> paths = Files.walk(migrations)) {
            // Sorted, so that the directory listing order of the file system cannot matter.
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Every part is length-prefixed, so that moving bytes from one part to the next changes the hash.
    private static void update(MessageDigest digest, String text) {
        update(digest, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void update(MessageDigest digest, byte[] bytes) {
        digest.update(String.valueOf(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
