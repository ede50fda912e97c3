package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        List<Long> rows = counts(database);
        Path cache = dir.resolve("sqlkit-server.aot");

        Run training = runToExit(database, List.of("-XX:AOTCacheOutput=" + cache), List.of("--train"));
        assertEquals(0, training.exitCode(), training.output());
        assertTrue(training.output().contains("training run done"), training.output());
        assertTrue(Files.size(cache) > 1_000_000, "a cache of the loaded classes: " + Files.size(cache) + " bytes");
        assertEquals(rows, counts(database), "the training workload only reads");

        // By default (AOTMode=auto) an unusable cache is quietly ignored; "on" makes that an error.
        int port = PackagedServer.freePort();
        Path log = Files.createTempFile(dir, "server", ".log");
        Process server = PackagedServer.command(database, port, log, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), List.of())
                .start();
        try {
            PackagedServer.awaitReady(server, port, log);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertTrue(output.contains("sqlkit server ready in"), output);
        assertFalse(output.contains("Unable to use"), output);
    }

    @Test
    void anUnknownArgumentStopsStartupWithUsage(TestDatabase database) throws Exception {
        Run run = runToExit(database, List.of(), List.of("--trian"));
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("usage: java [-XX:AOTCache=sqlkit-server.aot] -jar sqlkit-server.jar [--train]"),
                run.output());
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs the packaged server until it exits by itself (at most 2 minutes). */
    private Run runToExit(TestDatabase database, List<String> jvmOptions, List<String> arguments) throws Exception {
        Path log = Files.createTempFile(dir, "server", ".log");
        Process process = PackagedServer.command(database, PackagedServer.freePort(), log, jvmOptions, arguments).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not exit within 2 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private static List<Long> counts(TestDatabase database) throws Exception {
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT (SELECT COUNT(*) FROM posts), (SELECT COUNT(*) FROM orgs), (SELECT COUNT(*) FROM users)")) {
            rows.next();
            return List.of(rows.getLong(1), rows.getLong(2), rows.getLong(3));
        }
    }
}
