package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
    void theClassDatabaseMatchesTheMigrations(Dal dal) {
        dal.validateSchema();
    }
}
