package dev.sqlkit.codegen.provision;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A running MySQL-family server that scratch databases can be created on. Closing it releases
 * whatever was started for it (a container, an embedded process); an explicitly given server is
 * left alone.
 */
public final class DatabaseServer implements AutoCloseable {

    /** Where the server came from, in the order {@link DatabaseServers#start} tries them. */
    public enum Kind { EXPLICIT_URL, TESTCONTAINERS_MYSQL, EMBEDDED_MARIADB }

    /** Which member of the MySQL family answers: they differ in metadata details tools care about. */
    public enum Flavor {
        MYSQL, MARIADB;

        /** From the server's version string, e.g. {@code 8.4.3} or {@code 11.4.5-MariaDB}. */
        public static Flavor ofVersion(String version) {
            return version != null && version.toLowerCase(java.util.Locale.ROOT).contains("mariadb") ? MARIADB : MYSQL;
        }
    }

    // The driver is instantiated directly rather than looked up through DriverManager, which
    // cannot see drivers that live in a Maven plugin's class realm.
    private static final java.sql.Driver DRIVER = newDriver();

    private final Kind kind;
    private final Flavor flavor;
    private final String description;
    private final String url;
    private final String user;
    private final String password;
    private final AutoCloseable onClose;

    DatabaseServer(Kind kind, Flavor flavor, String description, String url, String user, String password,
            AutoCloseable onClose) {
        this.kind = kind;
        this.flavor = flavor;
        this.description = description;
        this.url = url;
        this.user = user;
        this.password = password;
        this.onClose = onClose;
    }

    public Kind kind() {
        return kind;
    }

    public Flavor flavor() {
        return flavor;
    }

    /** One line for logs, without secrets: what this server is and where it listens. */
    public String description() {
        return description;
    }

    /** The URL of a database on this server (credentials not included: see user and password). */
    public String jdbcUrl(String database) {
        return JdbcUrls.withDatabase(url, database);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        // Fail in seconds, not minutes, when the server is unreachable.
        properties.setProperty("connectTimeout", "10000");
        Connection connection = DRIVER.connect(jdbcUrl(database), properties);
        if (connection == null) {
            throw new SQLException("Connector/J does not accept the URL " + JdbcUrls.mask(jdbcUrl(database)));
        }
        return connection;
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
            throw new ProvisioningException("Cannot create the scratch database " + name + " on " + description
                    + ": " + e.getMessage() + ". The user needs the CREATE and DROP privileges.", e);
        }
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new ProvisioningException("Could not stop " + description + ": " + e.getMessage(), e);
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

    private static java.sql.Driver newDriver() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
