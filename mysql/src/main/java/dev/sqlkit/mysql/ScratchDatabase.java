package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An empty database created for one build or one test class; {@link #close()} drops it.
 *
 * <p>It keeps the connection it was created on and drops itself on that same connection. Closing
 * may happen in a JVM shutdown hook after a failed build, when Maven has already closed the plugin's
 * class realm and no new driver class could be loaded, so closing must need no fresh connection.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final DatabaseServer server;
    private final String name;
    private final Connection admin;

    ScratchDatabase(DatabaseServer server, String name, Connection admin) {
        this.server = server;
        this.name = name;
        this.admin = admin;
    }

    public String name() {
        return name;
    }

    /** Its address, credentials included: {@code url().jdbcUrl()} has none, {@code user()} and {@code password()} them. */
    public MysqlUrl url() {
        return server.url(name);
    }

    public DatabaseServer server() {
        return server;
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    @Override
    public void close() {
        try (admin; Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS `" + name + "`");
        } catch (SQLException e) {
            throw new MysqlSetupException("Could not drop the scratch database " + name + " on "
                    + server.description() + ": " + e.getMessage(), e);
        }
    }
}
