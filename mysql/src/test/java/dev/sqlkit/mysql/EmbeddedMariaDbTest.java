package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one embedded MariaDB, in both its modes, as its users rely on it. */
class EmbeddedMariaDbTest {

    /** The binaries cache every build and test run shares, as DatabaseServers uses it. */
    private static final Path CACHE = ProvisionSettings.defaultEmbeddedHome();

    @TempDir
    Path dir;

    @Test
    void persistentDataSurvivesARestart() throws SQLException {
        try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.persistent(dir, List.of())) {
            execute(mariaDb, "CREATE DATABASE kept", "CREATE TABLE kept.notes (text VARCHAR(20))",
                    "INSERT INTO kept.notes VALUES ('still here')");
        }
        try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.persistent(dir, List.of());
             Connection connection = ConnectorJ.connect(mariaDb.url("kept"), Duration.ofSeconds(5));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT text FROM notes")) {
            assertTrue(rows.next());
            assertEquals("still here", rows.getString(1));
            assertTrue(ServerVersion.of(connection).isMariaDb());
        }
    }

    @Test
    void throwAwayDataIsGoneAfterClose() throws SQLException {
        try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.throwAway(CACHE, dir)) {
            execute(mariaDb, "CREATE DATABASE scratch");
            assertTrue(Files.isDirectory(dir.resolve("data/scratch")));
        }
        assertFalse(Files.exists(dir.resolve("data")), "the data directory is deleted on close");
        assertTrue(Files.isExecutable(CACHE.resolve(EmbeddedMariaDb.bundledVersion()).resolve("bin/mariadbd")),
                "the binaries stay cached for the next start");
    }

    @Test
    void aServerThatCannotStartSaysWhyWithTheTailOfItsLog() {
        MysqlSetupException error = assertThrows(MysqlSetupException.class,
                () -> EmbeddedMariaDb.throwAway(CACHE, dir, List.of("--no-such-option-sqlkit")).close());
        assertTrue(error.getMessage().contains("stopped with exit code"), error.getMessage());
        assertTrue(error.getMessage().contains("Last lines of " + dir.resolve("mariadb.log")), error.getMessage());
        assertTrue(error.getMessage().contains("no-such-option-sqlkit"), "the log's own explanation: " + error.getMessage());
    }

    private static void execute(EmbeddedMariaDb mariaDb, String... statements) throws SQLException {
        try (Connection connection = ConnectorJ.connect(mariaDb.url(""), Duration.ofSeconds(5));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
