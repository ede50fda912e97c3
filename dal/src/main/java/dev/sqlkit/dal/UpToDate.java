package dev.sqlkit.dal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import javax.sql.DataSource;

import dev.sqlkit.mysql.schema.UndoScripts;

/**
 * Whether the database already has every migration of the classpath, applied and unedited, with
 * nobody migrating it: then {@link Migrations#migrate} has nothing to do and need not start Flyway,
 * whose start (its configuration is copied through Jackson, its scanner and parser load some
 * thousand classes) was a third of a second of CPU and a sixth of the server's start-up, on a
 * start that nearly always finds nothing pending.
 *
 * <p>The answer is yes only when it is plainly yes: every file under the location is a versioned
 * migration or an undo script, the history holds exactly those migrations (same version,
 * description, script and Flyway's checksum, each applied successfully, besides a baseline), no
 * migration or undo is marked half-done, and the migration lock is free. Anything else (a pending
 * or edited migration, a newer one from another jar, a failed row, a file or a classpath this
 * check does not know) is left to Flyway and the lock, as before, so their errors stay theirs.
 */
final class UpToDate {

    /** Flyway's name for a versioned SQL migration: {@code V<version>__<description>.sql}. */
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");
    private static final int NO_SUCH_TABLE = 1146;
    private static final char BOM = '\uFEFF';

    private record Script(String version, String description, String path, int checksum) {
    }

    private UpToDate() {
    }

    /** The schema version if there is nothing to migrate, or empty if Flyway must look. */
    static Optional<String> version(DataSource dataSource, String location) {
        Optional<Map<String, Script>> scripts = scripts(location);
        if (scripts.isEmpty() || scripts.get().isEmpty() || Undo.broken(dataSource).isPresent()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (isLocked(statement)) {
                return Optional.empty();
            }
            Map<String, Script> unapplied = new HashMap<>(scripts.get());
            try (ResultSet row = statement.executeQuery("SELECT version, description, script, checksum, type, success FROM "
                    + Undo.HISTORY_TABLE)) {
                while (row.next()) {
                    boolean isSuccess = row.getBoolean(6);
                    if ("BASELINE".equals(row.getString(5)) && isSuccess) {
                        continue;
                    }
                    Script script = unapplied.remove(row.getString(1));
                    if (!"SQL".equals(row.getString(5)) || !isSuccess || script == null
                            || !script.description().equals(row.getString(2)) || !script.path().equals(row.getString(3))
                            || row.getObject(4) == null || script.checksum() != row.getInt(4)) {
                        return Optional.empty();
                    }
                }
            }
            return unapplied.isEmpty()
                    ? scripts.get().keySet().stream().max(UpToDate::compareVersions)
                    : Optional.empty();
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                return Optional.empty(); // never migrated
            }
            throw new DalException("cannot read the migration history: " + e.getMessage(), e);
        }
    }

    private static boolean isLocked(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + MigrationLock.TABLE)) {
            row.next();
            return row.getLong(1) > 0;
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                return false; // migrated by something other than Migrations
            }
            throw e;
        }
    }

    /**
     * The versioned migrations under {@code location} ({@code classpath:db/migration}) by version, or
     * empty when a file is neither a migration nor an undo script, a version comes twice, or the
     * location is somewhere other than a folder or a jar.
     */
    private static Optional<Map<String, Script>> scripts(String location) {
        String folder = location.substring("classpath:".length());
        ClassLoader loader = Migrations.class.getClassLoader();
        Map<String, Script> scripts = new HashMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(folder))) {
                Optional<Map<String, byte[]>> files = files(url, folder);
                if (files.isEmpty()) {
                    return Optional.empty();
                }
                for (Map.Entry<String, byte[]> file : files.get().entrySet()) {
                    String path = file.getKey();
                    String name = path.substring(path.lastIndexOf('/') + 1);
                    Matcher versioned = VERSIONED.matcher(name);
                    if (UndoScripts.isUndoScript(name)) {
                        continue;
                    }
                    if (!versioned.matches()) {
                        return Optional.empty();
                    }
                    String version = versioned.group(1).replace('_', '.');
                    Script script = new Script(version, versioned.group(2).replace('_', ' '), path, checksum(file.getValue()));
                    if (scripts.put(version, script) != null) {
                        return Optional.empty();
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            return Optional.empty();
        }
        return Optional.of(scripts);
    }

    /** The files under {@code folder} at {@code url}, by their path below it, or empty for a kind of URL not read here. */
    private static Optional<Map<String, byte[]>> files(URL url, String folder) throws IOException, URISyntaxException {
        Map<String, byte[]> files = new HashMap<>();
        switch (url.getProtocol()) {
            case "file" -> {
                Path root = Path.of(url.toURI());
                try (Stream<Path> paths = Files.walk(root)) {
                    for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                        files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
                    }
                }
            }
            case "jar" -> {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false); // a JarFile of our own, closed here
                try (JarFile jar = connection.getJarFile()) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (!entry.isDirectory() && entry.getName().startsWith(folder + "/")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                files.put(entry.getName().substring(folder.length() + 1), in.readAllBytes());
                            }
                        }
                    }
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(files);
    }

    /**
     * Flyway's checksum of a migration (as its ChecksumCalculator computes it, and as the history
     * records it): CRC-32 over the UTF-8 bytes of each line without its line ending and without a
     * leading byte-order mark, so line endings and a BOM do not count. MigrationsTest holds the two
     * to agreeing on the jar's migrations.
     */
    static int checksum(byte[] file) throws IOException {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isEmpty() && line.charAt(0) == BOM) {
                    line = line.substring(1);
                }
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }

    /** Flyway's order of versions: part by part, as numbers; a missing part counts as 0. */
    private static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            BigInteger x = i < left.length ? new BigInteger(left[i]) : BigInteger.ZERO;
            BigInteger y = i < right.length ? new BigInteger(right[i]) : BigInteger.ZERO;
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
