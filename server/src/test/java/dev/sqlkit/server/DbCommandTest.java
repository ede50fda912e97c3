package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** {@code java -jar sqlkit-server.jar db ...} on the server's configuration, and start-up on a broken history. */
@ExtendWith(DatabaseExtension.class)
class DbCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void statusMigrateRevertAndRedoOnTheConfiguredDatabase(TestDatabase database) {
        try (TestDatabase empty = database.another(false)) {
            Map<String, String> settings = settings(empty);
            Run status = db(settings, "status");
            assertEquals(0, status.exitCode(), status.err());
            assertTrue(status.out().contains("schema version: 0"), status.out());
            assertTrue(status.out().contains("4 pending"), status.out());

            Run migrate = db(settings, "migrate");
            assertEquals(0, migrate.exitCode(), migrate.err());
            assertTrue(migrate.out().contains("applied 1 create orgs posts users, 2 relate users to orgs and posts to authors,"
                    + " 3 index posts by published, 4 idempotency keys; schema version 4"), migrate.out());

            Run revert = db(settings, "revert", "--to", "1");
            assertEquals(0, revert.exitCode(), revert.err());
            assertTrue(revert.out().contains("reverted 4 idempotency keys, 3 index posts by published,"
                    + " 2 relate users to orgs and posts to authors; schema version 1"), revert.out());
            Run atOne = db(settings, "status");
            assertTrue(atOne.out().matches("(?s).*\\n  1 +applied +yes .*V1__create_orgs_posts_users\\.sql\\n.*"), atOne.out());
            assertTrue(atOne.out().matches("(?s).*\\n  2 +pending +yes +- +V2__.*"), atOne.out());

            Run redo = db(settings, "redo");
            assertEquals(0, redo.exitCode(), redo.err());
            assertTrue(redo.out().contains("reverted and applied again: 1 create orgs posts users; schema version 1"), redo.out());
            Run again = db(settings, "migrate");
            assertTrue(again.out().contains("schema version 4"), again.out());
            assertTrue(db(settings, "status").out().contains("nothing pending"));
        }
    }

    @Test
    void aBrokenHistoryStopsStartUpAndTheCommandsUntilRepaired(TestDatabase database) {
        try (TestDatabase migrated = database.another(true)) {
            Map<String, String> settings = settings(migrated);
            // What a migration or undo that stopped half-way (or a killed process) leaves in the history.
            migrated.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '4'");

            ConfigurationException refused = assertThrows(ConfigurationException.class,
                    () -> SqlkitServer.start(RunningServer.config(settings)));
            assertTrue(refused.getMessage().contains("migration 4 (V4__idempotency_keys.sql) is marked failed"), refused.getMessage());
            assertTrue(refused.getMessage().contains("java -jar sqlkit-server.jar db repair --confirm"), refused.getMessage());

            Run status = db(settings, "status");
            assertEquals(0, status.exitCode(), status.err());
            assertTrue(status.out().contains("schema version: 3"), status.out());
            assertTrue(status.out().matches("(?s).*\\n  4 +broken .*"), status.out());
            assertTrue(status.out().contains("BROKEN: migration 4"), status.out());

            Run migrate = db(settings, "migrate");
            assertEquals(1, migrate.exitCode());
            assertTrue(migrate.err().contains("db repair --confirm"), migrate.err());
            Run revert = db(settings, "revert");
            assertEquals(1, revert.exitCode());

            Run unconfirmed = db(settings, "repair");
            assertEquals(2, unconfirmed.exitCode());
            assertTrue(unconfirmed.err().contains("db repair --confirm"), unconfirmed.err());

            // The user brings the schema to version 3 (the half-done table goes), then says so.
            migrated.execute("DROP TABLE idempotency_keys");
            Run repair = db(settings, "repair", "--confirm");
            assertEquals(0, repair.exitCode(), repair.err());
            assertTrue(repair.out().contains("removed the failed history row of 4 V4__idempotency_keys.sql; schema version 3;"
                    + " pending: 1"), repair.out());
            try (RunningServer server = RunningServer.of(SqlkitServer.start(RunningServer.config(settings)))) {
                assertEquals("applied 4 idempotency keys; schema version 4", server.server().migrations());
            }
        }
    }

    @Test
    void aWrongCommandGetsTheUsage() {
        Run wrong = db(Map.of(), "revert", "--to", "latest");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("revert [--to <version>]"), wrong.err());
    }

    private static Map<String, String> settings(TestDatabase database) {
        Map<String, String> settings = new HashMap<>(Map.of("server.port", "0", "server.host", "127.0.0.1",
                "database.url", database.jdbcUrl(), "database.user", database.user()));
        if (database.password() != null) {
            settings.put("database.password", database.password());
        }
        return settings;
    }

    private static Run db(Map<String, String> settings, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new DbCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(arguments), RunningServer.config(settings));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
