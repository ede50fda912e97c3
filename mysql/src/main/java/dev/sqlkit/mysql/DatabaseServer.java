package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A running MySQL-family server that scratch databases can be created on. Closing it releases
 * whatever was started for it (a container, an embedded process); an explicitly given server is
 * left alone.
 */
public final class DatabaseServer implements AutoCloseable {

    /** Where the server came from, in the order {@link DatabaseServers#start} tries them. */
    public enum Kind { EXPLICIT_URL, TESTCONTAINERS_MYSQL, EMBEDDED_MARIADB }

    // Fail in seconds, not minutes, when the server is unreachable.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Kind kind;
    private final ServerVersion version;
    private final String description;
    private final MysqlUrl url;
    private final AutoCloseable onClose;

    DatabaseServer(Kind kind, ServerVersion version, String description, MysqlUrl url, AutoCloseable onClose) {
        this.kind = kind;
        this.version = version;
        this.description = description;
        this.url = url;
        this.onClose = onClose;
    }

    public Kind kind() {
        return kind;
    }

    /** Which member of the MySQL family this is: tools such as jOOQ's metadata reader differ. */
    public ServerVersion version() {
        return version;
    }

    /** One line for logs, without secrets: what this server is and where it listens. */
    public String description() {
        return description;
    }

    /** The address of {@code database} on this server, credentials included (they are never rendered). */
    public MysqlUrl url(String database) {
        return url.withDatabase(database);
    }

    public Connection connect(String database) throws SQLException {
        return ConnectorJ.connect(url(database), CONNECT_TIMEOUT);
    }

    /**
     * Creates an empty database with a unique name starting with {@code prefix}; closing the
     * returned handle drops it again.
     */
    public ScratchDatabase createScratchDatabase(String prefix) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String name = prefix + "_" + HexFormat.of().formatHex(random);
        Connection admin = null;
        try {
            admin = connect("");
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
            }
            return new ScratchDatabase(this, name, admin);
        } catch (SQLException e) {
            closeQuietly(admin);
            throw new MysqlSetupException("Cannot create the scratch database " + name + " on " + description
                    + ": " + e.getMessage() + ". The user needs the CREATE and DROP privileges.", e);
        }
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new MysqlSetupException("Could not stop " + description + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
