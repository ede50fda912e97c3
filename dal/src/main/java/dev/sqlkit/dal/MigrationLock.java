package dev.sqlkit.dal;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

/**
 * A lock over the migrations that holds across a whole Galera cluster, where Flyway's own MySQL lock
 * ({@code GET_LOCK}) is local to the node that takes it: instances starting together on different
 * nodes would otherwise migrate at the same moment and break the schema.
 *
 * <p>The lock is the single row of {@value #TABLE}, created outside Flyway's history (so it is not
 * application schema, and the generated classes never see it). Whoever inserts the row holds the
 * lock; a concurrent insert fails with a duplicate key, or on another Galera node with a lost
 * certification (1213), and both mean "someone else holds it". The row carries a lease that the
 * holder renews while it migrates, so an instance that crashed mid-migration blocks the others only
 * until its lease expires; then the next one deletes the stale row and takes over. Times are the
 * database's ({@code UTC_TIMESTAMP}), not the instances' clocks.
 */
final class MigrationLock implements AutoCloseable {

    static final String TABLE = "sqlkit_migration_lock";
    /**
     * How long the lock stays held without renewal; renewed every third of it. Long enough for a
     * busy machine's pauses, short enough that a crashed instance blocks the others only briefly.
     */
    static final Duration LEASE = Duration.ofSeconds(30);

    private static final System.Logger LOGGER = System.getLogger(Migrations.class.getName());
    private static final int DUPLICATE_ENTRY = 1062;
    private static final int LOCK_DEADLOCK = 1213;
    private static final String LEASE_HINT = LEASE.toSeconds() + " s";

    private final DataSource dataSource;
    private final String owner;
    private final Thread renewer;

    private MigrationLock(DataSource dataSource, String owner) {
        this.dataSource = dataSource;
        this.owner = owner;
        this.renewer = Thread.ofVirtual().name("sqlkit-migration-lock").start(this::renewUntilClosed);
    }

    /**
     * Takes the lock, waiting while another instance holds it, at most {@code maxWait}.
     *
     * @throws MigrationWaitException if the lock was not free within {@code maxWait}, naming its holder
     */
    static MigrationLock acquire(DataSource dataSource, Duration maxWait) {
        String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean isWaitLogged = false;
        try {
            createTable(dataSource);
            for (int attempt = 1; ; attempt++) {
                if (tryInsert(dataSource, owner)) {
                    return new MigrationLock(dataSource, owner);
                }
                String staleOwner = deleteExpired(dataSource);
                if (staleOwner != null) {
                    LOGGER.log(System.Logger.Level.WARNING, "took over the migration lock: the lease of " + staleOwner
                            + " had expired (an instance that stopped while migrating?)");
                    continue;
                }
                String holder = holder(dataSource);
                if (!isWaitLogged) {
                    LOGGER.log(System.Logger.Level.INFO, "waiting for another instance's migration (lock held by "
                            + holder + ")");
                    isWaitLogged = true;
                }
                if (System.nanoTime() > deadline) {
                    throw new MigrationWaitException("gave up waiting " + maxWait + " for another instance's migration: the lock"
                            + " (table " + TABLE + ") is held by " + holder + ". If that instance is gone, its lease"
                            + " expires by itself within " + LEASE_HINT + "; otherwise allow a longer wait (the maxWait of"
                            + " Migrations.migrate)");
                }
                // Short waits at first (a migration of an empty database takes about a second), at
                // most a second later, jittered so that waiting instances do not collide again.
                long bound = Math.min(1_000, 50L << Math.min(attempt, 5));
                LockSupport.parkNanos(Duration.ofMillis(bound / 2 + ThreadLocalRandom.current().nextLong(bound / 2 + 1)).toNanos());
            }
        } catch (SQLException e) {
            throw new DalException("cannot take the migration lock (table " + TABLE + "): " + e.getMessage(), e);
        }
    }

    /** Gives the lock back (only if still ours: after an expired lease someone else may hold it). */
    @Override
    public void close() {
        renewer.interrupt();
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE id = 1 AND owner = ?")) {
                delete.setString(1, owner);
                delete.executeUpdate();
                return;
            } catch (SQLException e) {
                if (e.getErrorCode() != LOCK_DEADLOCK || attempt == 5) {
                    // Not fatal: the lease expires and the next instance takes over.
                    LOGGER.log(System.Logger.Level.WARNING, "cannot release the migration lock; it expires within "
                            + LEASE + ": " + e.getMessage());
                    return;
                }
            }
        }
    }

    private void renewUntilClosed() {
        while (!Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(LEASE.toNanos() / 3);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement renew = connection.prepareStatement("UPDATE " + TABLE
                         + " SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE id = 1 AND owner = ?")) {
                renew.setLong(1, LEASE.toNanos() / 1000);
                renew.setString(2, owner);
                if (renew.executeUpdate() == 0) {
                    LOGGER.log(System.Logger.Level.WARNING, "lost the migration lock: the lease expired before it was renewed");
                    return;
                }
            } catch (SQLException e) {
                LOGGER.log(System.Logger.Level.WARNING, "cannot renew the migration lock: " + e.getMessage());
            }
        }
    }

    /** Every statement below runs in autocommit: each is its own transaction, replicated on its own. */
    private static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // A primary key, as Galera needs one to replicate rows; the CHECK keeps it to one row.
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + " id TINYINT NOT NULL PRIMARY KEY CHECK (id = 1),"
                    + " owner VARCHAR(255) NOT NULL,"
                    + " acquired_at DATETIME(6) NOT NULL,"
                    + " expires_at DATETIME(6) NOT NULL)");
        }
    }

    private static boolean tryInsert(DataSource dataSource, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (id, owner, acquired_at, expires_at)"
                     + " VALUES (1, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)")) {
            insert.setString(1, owner);
            insert.setLong(2, LEASE.toNanos() / 1000);
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isHeldElsewhere(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the lock row if its lease has expired; its owner if it did, else null. */
    private static String deleteExpired(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String owner;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT owner FROM " + TABLE + " WHERE id = 1 AND expires_at < UTC_TIMESTAMP(6)");
                 ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                owner = row.getString(1);
            }
            // Only that owner's row: another instance may have taken over in between.
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM " + TABLE + " WHERE id = 1 AND owner = ? AND expires_at < UTC_TIMESTAMP(6)")) {
                delete.setString(1, owner);
                return delete.executeUpdate() > 0 ? owner : null;
            }
        } catch (SQLException e) {
            if (isHeldElsewhere(e)) {
                return null;
            }
            throw e;
        }
    }

    private static String holder(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT owner, expires_at FROM " + TABLE + " WHERE id = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() ? row.getString(1) + ", lease until " + row.getString(2) + " UTC" : "nobody (just released)";
        }
    }

    /** A duplicate key, or on a Galera cluster a conflicting insert that won on another node. */
    private static boolean isHeldElsewhere(SQLException e) {
        return e.getErrorCode() == DUPLICATE_ENTRY || e.getErrorCode() == LOCK_DEADLOCK || "40001".equals(e.getSQLState());
    }
}
