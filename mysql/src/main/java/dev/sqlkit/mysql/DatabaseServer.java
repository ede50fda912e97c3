package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A running MySQL-family server that scratch databases can be created on. Closing it releases
 * whatever was started for it (a container, an embedded process); an explicitly given server is
 * left alone.
 *
 * @param kind        where the server came from
 * @param version     which member of the MySQL family this is: tools such as jOOQ's metadata reader differ
 * @param description one line for logs, without secrets: what this server is and where it listens
 * @param address     the server without a database, credentials included (they are never rendered)
 * @param stopper     what closing releases; a no-op for a server somebody else runs
 */
public record DatabaseServer(Kind kind, ServerVersion version, String description, MysqlUrl address,
        AutoCloseable stopper) implements AutoCloseable {

    /** Where the server came from, in the order {@link DatabaseServers#start} tries them. */
    public enum Kind { EXPLICIT_URL, TESTCONTAINERS_MYSQL, EMBEDDED_MARIADB }

    // Fail in seconds, not minutes, when the server is unreachable.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The address of {@code database} on this server, credentials included (they are never rendered). */
    public MysqlUrl url(String database) {
        return address.withDatabase(database);
    }

    public Connection connect(String database) throws SQLException {
        return ConnectorJ.connect(url(database), CONNECT_TIMEOUT);
    }

    /**
     * Creates an empty database with a unique name starting with {@code prefix}; closing the
     * returned handle drops it again.
     */
    public ScratchDatabase createScratchDatabase(String prefix) {
        return new ScratchDatabase(this, prefix);
    }

    @Override
    public void close() {
        try {
            stopper.close();
        } catch (Exception e) {
            throw new MysqlSetupException("Could not stop " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
