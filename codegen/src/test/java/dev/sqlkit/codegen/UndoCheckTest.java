package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.DatabaseServers;
import dev.sqlkit.mysql.ProvisionSettings;
import dev.sqlkit.mysql.ScratchDatabase;

/**
 * The build's check of undo scripts, on a real database (the one {@code SQLKIT_DB_URL} names, else
 * an embedded MariaDB): each test is a migrations folder with one undo script done right or wrong.
 */
class UndoCheckTest {

    private static final String V1 = """
            CREATE TABLE t (
                id   BIGINT      NOT NULL AUTO_INCREMENT,
                name VARCHAR(50) NOT NULL DEFAULT 'a',
                PRIMARY KEY (id)
            );
            """;

    @TempDir
    static Path work;
    private static DatabaseServer server;

    @TempDir
    Path migrations;

    @BeforeAll
    static void startServer() {
        server = DatabaseServers.start(ProvisionSettings.from(System::getProperty, work), line -> { });
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void goodUndoScriptsPassAndMissingOnesAreListed() throws Exception {
        write("V1__t.sql", V1);
        write("U1__t.sql", "DROP TABLE t;");
        write("V2__t_c.sql", "ALTER TABLE t ADD COLUMN c INT NULL DEFAULT 7;\nCREATE INDEX ix_t_c ON t (c, name);");
        write("U2__t_c.sql", "DROP INDEX ix_t_c ON t;\nALTER TABLE t DROP COLUMN c;");
        write("V3__u.sql", "CREATE TABLE u (id BIGINT NOT NULL PRIMARY KEY, t_id BIGINT NULL,"
                + " CONSTRAINT fk_u_t FOREIGN KEY (t_id) REFERENCES t (id));");
        Migration.Outcome outcome = check();
        assertEquals(List.of("U1__t.sql", "U2__t_c.sql"), outcome.verifiedUndos());
        assertEquals(List.of("V3__u.sql"), outcome.withoutUndo());
        assertEquals("3", outcome.schemaVersion());
        assertEquals(3, outcome.applied());
        assertTrue(outcome.schema().tables().containsKey("u"));
    }

    @Test
    void anUndoThatForgetsAnIndexFailsNamingIt() throws Exception {
        assertUndoOfV2Fails("t_c", "ALTER TABLE t ADD COLUMN c INT NULL;\nCREATE INDEX ix_t_name ON t (name);",
                "ALTER TABLE t DROP COLUMN c;", "table t: index ix_t_name (name) should not exist");
    }

    @Test
    void anUndoThatForgetsAColumnDefaultFailsNamingIt() throws Exception {
        assertUndoOfV2Fails("t_name", "ALTER TABLE t MODIFY name VARCHAR(100) NOT NULL DEFAULT 'b';",
                "ALTER TABLE t MODIFY name VARCHAR(50) NOT NULL;",
                "column t.name: expected varchar(50) NOT NULL DEFAULT 'a', found varchar(50) NOT NULL");
    }

    @Test
    void anUndoThatForgetsATableFailsNamingIt() throws Exception {
        assertUndoOfV2Fails("log", "CREATE TABLE log (id BIGINT NOT NULL PRIMARY KEY);\nALTER TABLE t ADD COLUMN c INT NULL;",
                "ALTER TABLE t DROP COLUMN c;", "table log should not exist");
    }

    /** V1 as the base, then V2__{name} with {@code migration} and U2__{name} with {@code undo}: the check names the difference. */
    private void assertUndoOfV2Fails(String name, String migration, String undo, String difference) throws Exception {
        write("V1__t.sql", V1);
        write("V2__" + name + ".sql", migration);
        write("U2__" + name + ".sql", undo);
        String message = failure();
        assertTrue(message.startsWith("U2__" + name + ".sql does not undo V2__" + name + ".sql"), message);
        assertTrue(message.contains(difference), message);
    }

    @Test
    void anUndoThatFailsNamesTheStatement() throws Exception {
        write("V1__t.sql", V1);
        write("U1__t.sql", "-- wrong table\n\nDROP TABLE no_such_table;");
        String message = failure();
        assertTrue(message.startsWith("U1__t.sql failed at statement 1 (line 3: DROP TABLE no_such_table)"), message);
    }

    /**
     * The schema after the undo is right, but the undo leaves something the migration reads (here a
     * view, which the comparison does not cover), so applying the migration again gives another schema.
     */
    @Test
    void aMigrationThatGivesAnotherSchemaWhenAppliedAgainFails() throws Exception {
        write("V1__t.sql", V1);
        write("V2__t_c.sql", """
                SET @add_c = IF((SELECT COUNT(*) FROM information_schema.tables
                                 WHERE table_schema = DATABASE() AND table_name = 'marker') > 0,
                                'ALTER TABLE t ADD COLUMN c BIGINT NULL', 'ALTER TABLE t ADD COLUMN c INT NULL');
                PREPARE add_c FROM @add_c;
                EXECUTE add_c;
                DEALLOCATE PREPARE add_c;
                """);
        write("U2__t_c.sql", "ALTER TABLE t DROP COLUMN c;\nCREATE VIEW marker AS SELECT 1 AS one;");
        String message = failure();
        assertTrue(message.startsWith("V2__t_c.sql applied again after U2__t_c.sql gives another schema than the first time"), message);
        assertTrue(message.contains("column t.c: expected int NULL, found bigint NULL"), message);
    }

    private Migration.Outcome check() throws Exception {
        try (ScratchDatabase database = server.createScratchDatabase("mg_undo")) {
            return Migration.applyCheckingUndos(database, migrations.toFile(), new SystemStreamLog());
        }
    }

    private String failure() {
        return assertThrows(Migration.UndoCheckFailedException.class, this::check).getMessage();
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(migrations.resolve(name), sql);
    }
}
