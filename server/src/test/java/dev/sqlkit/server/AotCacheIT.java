package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The start-up recipe of the README, on the packaged jar: a {@code --train} run writes a JDK 25
 * ahead-of-time cache without writing to the database, and the next start uses it.
 */
@ExtendWith(DatabaseExtension.class)
class AotCacheIT {

    @TempDir
    Path dir;

    @Test
    void aTrainingRunWritesACacheTheNextStartUsesAndLeavesTheDataAlone(TestDatabase database) throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "-XX:AOTCacheOutput needs JDK 25; this is " + Runtime.version());
        long posts = count(database, "posts");
        long orgs = count(database, "orgs");
        long users = count(database, "users");
        Path cache = dir.resolve("sqlkit-server.aot");

        Run training = run(database, List.of("-XX:AOTCacheOutput=" + cache), "--train");
        assertEquals(0, training.exitCode(), training.output());
        assertTrue(training.output().contains("training run done"), training.output());
        assertTrue(Files.size(cache) > 1_000_000, "a cache of the loaded classes: " + Files.size(cache) + " bytes");
        assertEquals(List.of(posts, orgs, users),
                List.of(count(database, "posts"), count(database, "orgs"), count(database, "users")),
                "the training workload only reads");

        // By default (AOTMode=auto) an unusable cache is quietly ignored; "on" makes that an error.
        Run withCache = run(database, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), "--stop-when-ready");
        assertTrue(withCache.output().contains("sqlkit server ready in"), withCache.output());
        assertFalse(withCache.output().contains("Unable to use"), withCache.output());
    }

    @Test
    void anUnknownArgumentStopsStartupWithUsage(TestDatabase database) throws Exception {
        Run run = run(database, List.of(), "--trian");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("usage: java [-XX:AOTCache=sqlkit-server.aot] -jar sqlkit-server.jar [--train]"),
                run.output());
    }

    private record Run(int exitCode, String output) {
    }

    /**
     * Runs the packaged server with {@code jvmOptions} and {@code arguments} until it exits (at most 2
     * minutes); {@code --stop-when-ready}, not passed on, sends it SIGTERM once it says it is ready.
     */
    private Run run(TestDatabase database, List<String> jvmOptions, String... arguments) throws IOException, InterruptedException {
        boolean stopWhenReady = List.of(arguments).contains("--stop-when-ready");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(Path.of("target", "sqlkit-server.jar").toAbsolutePath().toString());
        command.addAll(List.of(arguments).stream().filter(argument -> !argument.equals("--stop-when-ready")).toList());
        Path log = Files.createTempFile(dir, "server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", String.valueOf(database.user()),
                "DATABASE_PASSWORD", database.password() == null ? "" : database.password(),
                "SERVER_PORT", String.valueOf(port),
                "SERVER_HOST", "127.0.0.1"));
        Process process = builder.start();
        for (long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
             stopWhenReady && process.isAlive() && System.nanoTime() < deadline; Thread.sleep(50)) {
            if (Files.readString(log).contains("sqlkit server ready in")) {
                process.destroy();
                break;
            }
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit within 2 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private static long count(TestDatabase database, String table) throws Exception {
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
