package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An empty database created for one build or one test class; {@link #close()} drops it. Creating
 * and dropping live side by side here; {@link DatabaseServer#createScratchDatabase} is the way in.
 *
 * <p>It keeps the connection it was created on and drops itself on that same connection. Closing
 * may happen in a JVM shutdown hook after a failed build, when Maven has already closed the plugin's
 * class realm and no new driver class could be loaded, so closing must need no fresh connection.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final DatabaseServer server;
    private final String name;
    private final Connection admin;

    /** Creates the database on {@code server}, named {@code prefix} and a random suffix. */
    ScratchDatabase(DatabaseServer server, String prefix) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        this.server = server;
        this.name = prefix + "_" + HexFormat.of().formatHex(random);
        this.admin = create(server, name);
    }

    /** Creates database {@code name} on a connection of its own, which it returns for the drop. */
    private static Connection create(DatabaseServer server, String name) {
        Connection admin = null;
        try {
            admin = server.connect("");
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
            }
            return admin;
        } catch (SQLException e) {
            closeQuietly(admin);
            throw new MysqlSetupException("Cannot create the scratch database " + name + " on " + server.description()
                    + ": " + e.getMessage() + ". The user needs the CREATE and DROP privileges.", e);
        }
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

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the original failure is the one worth reporting
            }
        }
    }
}
