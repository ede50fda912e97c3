package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** Reverting and redoing the schema jar's migrations with their undo scripts, on a real database. */
@ExtendWith(DatabaseExtension.class)
class RevertTest {

    @Test
    void migrateRevertToOneRedoAndMigrateAgainWithTheStatusAtEachStep(TestDatabase database) throws SQLException {
        try (TestDatabase empty = database.another(false)) {
            MigrationStatus fresh = Migrations.status(empty.dataSource());
            assertEquals("0", fresh.schemaVersion());
            assertEquals(4, fresh.pending().size());
            assertTrue(fresh.migrations().stream().allMatch(MigrationStatus.Migration::hasUndo), fresh.toString());

            assertEquals("4", Migrations.migrate(empty.dataSource()).schemaVersion());
            MigrationStatus latest = Migrations.status(empty.dataSource());
            assertEquals("4", latest.schemaVersion());
            assertTrue(latest.migrations().stream().allMatch(migration -> migration.state() == MigrationStatus.State.APPLIED
                    && migration.appliedAt().isPresent()), latest.toString());

            RevertReport reverted = Migrations.revert(empty.dataSource(), "1");
            assertEquals(List.of("4 idempotency keys", "3 index posts by published",
                    "2 relate users to orgs and posts to authors"), reverted.reverted());
            assertEquals("1", reverted.schemaVersion());
            MigrationStatus atOne = Migrations.status(empty.dataSource());
            assertEquals("1", atOne.schemaVersion());
            assertEquals(List.of("2", "3", "4"), atOne.pending().stream().map(MigrationStatus.Migration::version).toList());
            assertFalse(tableExists(empty, "idempotency_keys"));
            assertFalse(columnExists(empty, "users", "org_id"));
            assertTrue(tableExists(empty, "posts"));

            MigrationReport redone = Migrations.redo(empty.dataSource());
            assertEquals(List.of("1 create orgs posts users"), redone.applied());
            assertEquals("1", Migrations.status(empty.dataSource()).schemaVersion());
            assertEquals(3, Migrations.status(empty.dataSource()).pending().size(), "redo leaves what was pending pending");

            assertEquals(List.of("2 relate users to orgs and posts to authors", "3 index posts by published", "4 idempotency keys"),
                    Migrations.migrate(empty.dataSource()).applied());
            assertEquals("4", Migrations.status(empty.dataSource()).schemaVersion());
            Migrations.validate(empty.dataSource());
        }
    }

    @Test
    void anUndoThatFailsHalfWayLeavesAClearStateAndBlocksEverythingUntilRepaired(TestDatabase database) throws SQLException {
        try (TestDatabase migrated = database.another(true)) {
            Migrations.revert(migrated.dataSource(), "2");
            // Drift behind the migrations' back: U2's fourth statement (users' foreign key) now fails,
            // after the first three (posts' key, index and column) have been applied.
            migrated.execute("ALTER TABLE users DROP FOREIGN KEY fk_users_org");

            MigrationBrokenException failure = assertThrows(MigrationBrokenException.class,
                    () -> Migrations.revert(migrated.dataSource(), "1"));
            assertTrue(failure.getMessage().contains("U2__relate_users_to_orgs_and_posts_to_authors.sql failed at statement 4 of 6"
                    + " (line 7: ALTER TABLE users DROP FOREIGN KEY fk_users_org)"), failure.getMessage());
            assertTrue(failure.getMessage().contains("Statements 1 to 3 were applied"), failure.getMessage());
            assertTrue(failure.getMessage().contains("between version 2 and the one before"), failure.getMessage());
            assertFalse(columnExists(migrated, "posts", "author_id"), "statements 1 to 3 ran");
            assertTrue(columnExists(migrated, "users", "org_id"), "statement 5 and 6 did not run");

            MigrationStatus status = Migrations.status(migrated.dataSource());
            assertTrue(status.broken().isPresent(), status.toString());
            assertEquals(MigrationStatus.State.BROKEN, status.migrations().get(1).state(), status.toString());
            assertEquals("1", status.schemaVersion(), "the history does not claim version 2 any more");

            for (Runnable blocked : List.<Runnable>of(() -> Migrations.migrate(migrated.dataSource()),
                    () -> Migrations.revertLast(migrated.dataSource()), () -> Migrations.redo(migrated.dataSource()),
                    () -> Migrations.validate(migrated.dataSource()))) {
                MigrationBrokenException refused = assertThrows(MigrationBrokenException.class, blocked::run);
                assertTrue(refused.getMessage().contains("Migrations.repair"), refused.getMessage());
                assertTrue(refused.getMessage().contains("db repair --confirm"), refused.getMessage());
            }

            // The user finishes the undo by hand and says so.
            migrated.execute("DROP INDEX ix_users_org_id ON users");
            migrated.execute("ALTER TABLE users DROP COLUMN org_id");
            assertEquals(List.of("2 V2__relate_users_to_orgs_and_posts_to_authors.sql"), Migrations.repair(migrated.dataSource()));
            MigrationStatus repaired = Migrations.status(migrated.dataSource());
            assertTrue(repaired.broken().isEmpty(), repaired.toString());
            assertEquals("1", repaired.schemaVersion());
            assertEquals("4", Migrations.migrate(migrated.dataSource()).schemaVersion());
            Migrations.validate(migrated.dataSource());
        }
    }

    @Test
    void anUndoThatFailsAtItsFirstStatementChangesNothing(TestDatabase database) {
        try (TestDatabase migrated = database.another(true)) {
            migrated.execute("DROP INDEX ix_posts_published_id ON posts");
            DalException failure = assertThrows(DalException.class, () -> Migrations.revert(migrated.dataSource(), "1"));
            assertFalse(failure instanceof MigrationBrokenException, failure.getMessage());
            assertTrue(failure.getMessage().contains("U3__index_posts_by_published.sql failed at its first statement"), failure.getMessage());
            assertTrue(failure.getMessage().contains("already reverted by this command: 4 idempotency keys"), failure.getMessage());
            MigrationStatus status = Migrations.status(migrated.dataSource());
            assertTrue(status.broken().isEmpty(), status.toString());
            assertEquals("3", status.schemaVersion());
        }
    }

    @Test
    void revertingToAVersionThatIsNotAppliedIsRefused(TestDatabase database) {
        try (TestDatabase migrated = database.another(true)) {
            InvalidInputException refused = assertThrows(InvalidInputException.class, () -> Migrations.revert(migrated.dataSource(), "9"));
            assertTrue(refused.getMessage().contains("no applied migration has version 9"), refused.getMessage());
            assertEquals("4", Migrations.status(migrated.dataSource()).schemaVersion());
        }
    }

    private static boolean tableExists(TestDatabase database, String table) throws SQLException {
        return exists(database, "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '" + table + "'");
    }

    private static boolean columnExists(TestDatabase database, String table, String column) throws SQLException {
        return exists(database, "SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '"
                + table + "' AND column_name = '" + column + "'");
    }

    private static boolean exists(TestDatabase database, String query) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            return rows.next();
        }
    }
}
