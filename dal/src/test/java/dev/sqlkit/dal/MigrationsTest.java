package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** Runtime migrations from the schema jar, and drift between database and migrations. */
@ExtendWith(DatabaseExtension.class)
class MigrationsTest {

    @Test
    void migrateAppliesEveryMigrationOnceFromTheClasspath(TestDatabase database) {
        try (TestDatabase empty = database.another(false)) {
            MigrationReport first = Migrations.migrate(empty.dataSource());
            assertEquals(List.of("1 create orgs posts users", "2 relate users to orgs and posts to authors",
                    "3 index posts by published", "4 idempotency keys"), first.applied());
            assertEquals("4", first.schemaVersion());
            MigrationReport second = Migrations.migrate(empty.dataSource());
            assertEquals(List.of(), second.applied());
            assertEquals("4", second.schemaVersion());
            Migrations.validate(empty.dataSource());
        }
    }

    @Test
    void anUnmigratedDatabaseIsReportedAsDrift(TestDatabase database) {
        try (TestDatabase empty = database.another(false)) {
            SchemaDriftException drift = assertThrows(SchemaDriftException.class, () -> Migrations.validate(empty.dataSource()));
            assertTrue(drift.problems().stream().anyMatch(problem -> problem.contains("table posts is missing")), drift.getMessage());
        }
    }

    @Test
    void columnsChangedBehindTheMigrationsBackAreReported(TestDatabase database) {
        try (TestDatabase drifted = database.another(true)) {
            drifted.execute("ALTER TABLE posts ADD COLUMN rating INT NULL");
            drifted.execute("ALTER TABLE users MODIFY name VARCHAR(100) NOT NULL DEFAULT ''");
            drifted.execute("ALTER TABLE orgs DROP COLUMN url");
            SchemaDriftException drift = assertThrows(SchemaDriftException.class, () -> drifted.dal().validateSchema());
            assertTrue(drift.problems().contains("column posts.rating is not in the migrations"), drift.getMessage());
            assertTrue(drift.problems().contains("column orgs.url is missing"), drift.getMessage());
            assertTrue(drift.problems().contains("column users.name is NOT NULL, the migrations make it nullable"), drift.getMessage());
            assertTrue(drift.problems().contains("column users.name holds 100 characters, the migrations say 255"), drift.getMessage());
        }
    }

    @Test
    void anAppliedMigrationThatWasEditedIsReported(TestDatabase database) {
        try (TestDatabase edited = database.another(true)) {
            edited.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
            SchemaDriftException drift = assertThrows(SchemaDriftException.class, () -> Migrations.validate(edited.dataSource()));
            assertTrue(drift.problems().stream().anyMatch(problem -> problem.startsWith("migration 2 ")), drift.getMessage());
        }
    }

    @Test
    void migrateRefusesAnAppliedMigrationThatWasEdited(TestDatabase database) {
        try (TestDatabase edited = database.another(true)) {
            edited.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
            DalException error = assertThrows(DalException.class, () -> Migrations.migrate(edited.dataSource()));
            assertTrue(error.getMessage().contains("checksum mismatch for migration version 2"), error.getMessage());
        }
    }

    /**
     * The start-up check that skips Flyway: yes, with the version, for a database that has every
     * migration (so its checksums are Flyway's); no, so that Flyway and the lock decide, for
     * anything else.
     */
    @Test
    void onlyAWholeUnlockedUneditedHistoryCountsAsUpToDate(TestDatabase database) {
        try (TestDatabase migrated = database.another(true)) {
            assertEquals(Optional.of("4"), UpToDate.version(migrated.dataSource(), Migrations.LOCATION));

            migrated.execute("INSERT INTO sqlkit_migration_lock (id, owner, acquired_at, expires_at)"
                    + " VALUES (1, 'another-instance', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 MINUTE)");
            assertEquals(Optional.empty(), UpToDate.version(migrated.dataSource(), Migrations.LOCATION), "someone is migrating");
            migrated.execute("DELETE FROM sqlkit_migration_lock");

            migrated.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '3'");
            assertEquals(Optional.empty(), UpToDate.version(migrated.dataSource(), Migrations.LOCATION), "an edited migration");
            migrated.execute("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '3'");

            migrated.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '4'");
            assertEquals(Optional.empty(), UpToDate.version(migrated.dataSource(), Migrations.LOCATION), "a failed migration");
            migrated.execute("UPDATE flyway_schema_history SET success = 1 WHERE version = '4'");

            Migrations.revertLast(migrated.dataSource());
            assertEquals(Optional.empty(), UpToDate.version(migrated.dataSource(), Migrations.LOCATION), "a pending migration");

            MigrationReport report = Migrations.migrate(migrated.dataSource());
            assertEquals(List.of("4 idempotency keys"), report.applied());
            assertEquals(Optional.of("4"), UpToDate.version(migrated.dataSource(), Migrations.LOCATION));
        }
        try (TestDatabase empty = database.another(false)) {
            assertEquals(Optional.empty(), UpToDate.version(empty.dataSource(), Migrations.LOCATION), "never migrated");
        }
    }

    @Test
    void flywaysChecksumIgnoresLineEndingsAndAByteOrderMark() throws Exception {
        int plain = UpToDate.checksum("CREATE TABLE t (id INT);\nDROP TABLE t;\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(plain, UpToDate.checksum("\uFEFFCREATE TABLE t (id INT);\r\nDROP TABLE t;".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(plain, UpToDate.checksum("CREATE TABLE t (id BIGINT);\nDROP TABLE t;\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theClassDatabaseMatchesTheMigrations(Dal dal) {
        dal.validateSchema();
    }
}
