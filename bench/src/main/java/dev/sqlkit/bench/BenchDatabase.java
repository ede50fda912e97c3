package dev.sqlkit.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.Migrations;
import dev.sqlkit.mysql.ConnectorJ;
import dev.sqlkit.mysql.HikariPools;
import dev.sqlkit.mysql.MysqlUrl;
import dev.sqlkit.mysql.ProvisionSettings;

/**
 * The benchmark database: a dedicated database on the configured server, migrated with the dal's
 * migrations and seeded with a fixed number of posts, behind one small HikariCP pool that both the
 * dal and the hand-written JDBC use.
 */
final class BenchDatabase implements AutoCloseable {

    static final String DEFAULT_SERVER_URL = "jdbc:mysql://127.0.0.1:3306/?user=root";
    static final String DEFAULT_DATABASE = "sqlkit_bench";
    static final int SEEDED_POSTS = 10_000;
    static final int POOL_SIZE = 4;
    /** About 450 bytes, a short blog post. */
    static final String POST_BODY = "A benchmark post. ".repeat(25);

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final HikariDataSource dataSource;
    private final long[] seededIds;
    private final long authorId;

    private BenchDatabase(HikariDataSource dataSource, long[] seededIds, long authorId) {
        this.dataSource = dataSource;
        this.seededIds = seededIds;
        this.authorId = authorId;
    }

    /**
     * Opens the database named by {@code -Dsqlkit.db.url} / {@code SQLKIT_DB_URL} (default
     * {@value #DEFAULT_SERVER_URL}), or {@value #DEFAULT_DATABASE} on that server when the URL names
     * none: created if absent, migrated, seeded.
     *
     * @param preparedStatements {@code server} or {@code client}: Connector/J's useServerPrepStmts
     */
    static BenchDatabase open(String preparedStatements) {
        if (!preparedStatements.equals("server") && !preparedStatements.equals("client")) {
            throw new IllegalArgumentException("the benchmark parameter preparedStatements must be server or client, got: "
                    + preparedStatements);
        }
        ProvisionSettings settings = ProvisionSettings.from(System::getProperty, null);
        MysqlUrl given = MysqlUrl.parse(settings.url() != null ? settings.url() : DEFAULT_SERVER_URL,
                settings.url() != null ? settings.urlSource() : "the default benchmark server");
        MysqlUrl server = given.withCredentials(settings.user() != null ? settings.user() : given.user(),
                settings.password() != null ? settings.password() : given.password());
        String database = server.database().isEmpty() ? DEFAULT_DATABASE : server.database();
        if (!PLAIN_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("the benchmark database name must be letters, digits and _, got: " + database);
        }
        createDatabase(server.withDatabase(""), database);

        MysqlUrl pooled = server.withDatabase(database)
                .withDefaults(Map.of("useServerPrepStmts", String.valueOf(preparedStatements.equals("server"))));
        HikariConfig config = HikariPools.config(pooled, "sqlkit-bench", POOL_SIZE, Duration.ofSeconds(10));
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Migrations.migrate(dataSource);
            try (Connection connection = dataSource.getConnection()) {
                long authorId = author(connection);
                return new BenchDatabase(dataSource, seed(connection, authorId), authorId);
            }
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException("seeding failed: " + e, e);
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    /** The ids of the seeded posts, ascending. */
    long[] seededIds() {
        return seededIds;
    }

    /** The user the seeded posts (half of them) and the created ones are written by. */
    long authorId() {
        return authorId;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void createDatabase(MysqlUrl server, String database) {
        try (Connection connection = ConnectorJ.connect(server, Duration.ofSeconds(10));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + database + " on " + server
                    + " (set -Dsqlkit.db.url or SQLKIT_DB_URL): " + e.getMessage(), e);
        }
    }

    /**
     * Tops the posts table up to {@link #SEEDED_POSTS} rows, half of them with an author, and removes
     * the posts an earlier create benchmark added. That happens here rather than after a benchmark so
     * that InnoDB purging the deleted rows overlaps this benchmark's warm-up, not the next one's
     * measurement.
     */
    private static long[] seed(Connection connection, long authorId) throws SQLException {
        long existing;
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM posts");
             ResultSet row = count.executeQuery()) {
            row.next();
            existing = row.getLong(1);
        }
        if (existing < SEEDED_POSTS) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO posts (title, body, published, author_id) VALUES (?, ?, ?, ?)")) {
                for (long n = existing; n < SEEDED_POSTS; n++) {
                    insert.setString(1, "Seeded post " + n);
                    insert.setString(2, POST_BODY);
                    insert.setBoolean(3, n % 3 != 0);
                    if (n % 2 == 0) {
                        insert.setLong(4, authorId);
                    } else {
                        insert.setNull(4, Types.BIGINT);
                    }
                    insert.addBatch();
                    if (n % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
        }
        long[] ids = new long[SEEDED_POSTS];
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM posts ORDER BY id LIMIT " + SEEDED_POSTS);
             ResultSet rows = select.executeQuery()) {
            int i = 0;
            while (rows.next()) {
                ids[i++] = rows.getLong(1);
            }
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM posts WHERE id > ?")) {
            delete.setLong(1, ids[ids.length - 1]);
            delete.executeUpdate();
        }
        return ids;
    }

    private static long author(Connection connection) throws SQLException {
        String email = "bench-author@sqlkit.test";
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (email, name) VALUES (?, 'Benchmark author') ON DUPLICATE KEY UPDATE email = email")) {
            insert.setString(1, email);
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM users WHERE email = ?")) {
            select.setString(1, email);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
