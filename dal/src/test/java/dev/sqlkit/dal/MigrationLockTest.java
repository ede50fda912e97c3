package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;
import dev.sqlkit.mysql.ConnectorJ;

/** Instances that migrate one database at the same moment, as a fleet starting together does. */
@ExtendWith(DatabaseExtension.class)
class MigrationLockTest {

    private static final List<String> ALL = List.of("1 create orgs posts users", "2 relate users to orgs and posts to authors",
            "3 index posts by published", "4 idempotency keys");

    @Test
    void threeInstancesMigratingAnEmptyDatabaseAtOnceApplyEachMigrationOnce(TestDatabase database) throws Exception {
        try (TestDatabase empty = database.another(false)) {
            List<HikariDataSource> pools = new ArrayList<>();
            ExecutorService instances = Executors.newFixedThreadPool(3);
            try {
                for (int i = 0; i < 3; i++) {
                    pools.add(empty.pool(ConnectorJ.UTC_SESSION_SQL));
                }
                CountDownLatch start = new CountDownLatch(1);
                List<Future<MigrationReport>> reports = new ArrayList<>();
                for (HikariDataSource pool : pools) {
                    reports.add(instances.submit(() -> {
                        start.await();
                        return Migrations.migrate(pool, Duration.ofSeconds(60));
                    }));
                }
                start.countDown();
                List<List<String>> applied = new ArrayList<>();
                for (Future<MigrationReport> report : reports) {
                    MigrationReport done = report.get(90, TimeUnit.SECONDS);
                    assertEquals("4", done.schemaVersion());
                    applied.add(done.applied());
                }
                assertEquals(1, applied.stream().filter(ALL::equals).count(), "exactly one instance migrated: " + applied);
                assertEquals(2, applied.stream().filter(List::isEmpty).count(), "the others found nothing pending: " + applied);
                assertEquals(List.of("0 BASELINE", "1 SQL", "2 SQL", "3 SQL", "4 SQL"), history(empty.dataSource()));
                assertEquals(0, count(empty.dataSource(), "SELECT COUNT(*) FROM sqlkit_migration_lock"), "the lock is released");
                Migrations.validate(empty.dataSource());
            } finally {
                instances.shutdownNow();
                pools.forEach(HikariDataSource::close);
            }
        }
    }

    @Test
    void theLeaseOfAnInstanceThatDiedWhileMigratingIsTakenOver(TestDatabase database) {
        try (TestDatabase empty = migratedAndLockedBy("crashed-instance", "- INTERVAL 1 MINUTE", database)) {
            long started = System.nanoTime();
            MigrationReport report = Migrations.migrate(empty.dataSource(), Duration.ofSeconds(20));
            assertEquals(List.of(), report.applied());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "taken over at once, not after the wait");
            assertEquals(0, count(empty.dataSource(), "SELECT COUNT(*) FROM sqlkit_migration_lock"));
        }
    }

    @Test
    void aLockHeldLongerThanTheWaitFailsNamingItsHolder(TestDatabase database) {
        try (TestDatabase empty = migratedAndLockedBy("busy-instance", "+ INTERVAL 10 MINUTE", database)) {
            DalException error = assertThrows(DalException.class, () -> Migrations.migrate(empty.dataSource(), Duration.ofMillis(500)));
            assertTrue(error.getMessage().startsWith("gave up waiting PT0.5S for another instance's migration"), error.getMessage());
            assertTrue(error.getMessage().contains("busy-instance"), error.getMessage());
        }
    }

    @Test
    void aDatabaseWithOtherTablesButNoHistoryIsStillRefused(TestDatabase database) {
        try (TestDatabase foreign = database.another(false)) {
            foreign.execute("CREATE TABLE someone_elses (id INT PRIMARY KEY)");
            DalException error = assertThrows(DalException.class, () -> Migrations.migrate(foreign.dataSource()));
            assertTrue(error.getMessage().contains("non-empty schema"), error.getMessage());
            assertEquals(0, count(foreign.dataSource(), "SELECT COUNT(*) FROM sqlkit_migration_lock"), "the lock is released");
        }
    }

    /**
     * A migrated database whose lock row says {@code owner} holds it, with a lease that ends at
     * now {@code expiry} (e.g. {@code - INTERVAL 1 MINUTE}: expired, as when its holder died).
     */
    private static TestDatabase migratedAndLockedBy(String owner, String expiry, TestDatabase database) {
        TestDatabase locked = database.another(false);
        Migrations.migrate(locked.dataSource());
        locked.execute("INSERT INTO sqlkit_migration_lock (id, owner, acquired_at, expires_at) VALUES (1, '" + owner
                + "', UTC_TIMESTAMP(6) - INTERVAL 2 MINUTE, UTC_TIMESTAMP(6) " + expiry + ")");
        return locked;
    }

    private static List<String> history(DataSource dataSource) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (row.next()) {
                assertTrue(row.getBoolean(3), "migration " + row.getString(1) + " failed");
                rows.add(row.getString(1) + " " + row.getString(2));
            }
        }
        return rows;
    }

    private static long count(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
