package dev.sqlkit.dal.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.mysql.HikariPools;
import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.ScratchDatabase;

/**
 * A scratch database with a connection pool and a {@link Dal} over it. Closing it closes the pool
 * and drops the database.
 */
public final class TestDatabase implements AutoCloseable {

    private final ScratchDatabase scratch;
    private final HikariDataSource dataSource;
    private final Dal dal;

    private TestDatabase(ScratchDatabase scratch, boolean isMigrated) {
        this.scratch = scratch;
        this.dataSource = pool(scratch);
        if (isMigrated) {
            Migrations.migrate(dataSource);
        }
        this.dal = Dal.create(dataSource);
    }

    static TestDatabase migrated(DatabaseServer server) {
        return new TestDatabase(server.createScratchDatabase("sqlkit_test"), true);
    }

    /** Another database on the same server, migrated or empty; the caller closes it. */
    public TestDatabase another(boolean isMigrated) {
        return new TestDatabase(scratch.server().createScratchDatabase("sqlkit_test"), isMigrated);
    }

    public Dal dal() {
        return dal;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The database's URL (without credentials: see {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return scratch.url().jdbcUrl();
    }

    public String user() {
        return scratch.url().user();
    }

    public String password() {
        return scratch.url().password();
    }

    public String name() {
        return scratch.name();
    }

    /** A pool over this database with settings of the caller's choosing, e.g. a wrong time zone. */
    public HikariDataSource pool(String connectionInitSql) {
        HikariConfig config = config(scratch);
        config.setConnectionInitSql(connectionInitSql);
        return new HikariDataSource(config);
    }

    /**
     * Makes every insert of a post whose title starts with {@code conflict:} fail as a transaction
     * conflict does (error 1213, SQLSTATE 40001), so that tests can see the dal retry and give up
     * on demand. Other inserts are untouched.
     */
    public void failInsertsOfConflictPosts() {
        execute("""
                CREATE TRIGGER conflict_on_demand BEFORE INSERT ON posts FOR EACH ROW
                IF NEW.title LIKE 'conflict:%' THEN
                  SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
                    MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction';
                END IF""");
    }

    /** Runs SQL outside the dal, e.g. to damage the schema on purpose. */
    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (scratch) {
            dataSource.close();
        }
    }

    private static HikariDataSource pool(ScratchDatabase scratch) {
        return new HikariDataSource(config(scratch));
    }

    private static HikariConfig config(ScratchDatabase scratch) {
        HikariConfig config = HikariPools.config(scratch.url(), scratch.name(), 8, Duration.ofSeconds(5));
        config.setConnectionTimeout(5_000);
        return config;
    }
}
