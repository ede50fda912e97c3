package dev.sqlkit.mysql;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JDBC drivers a sqlkit pool can use. MySQL Connector/J speaks to every member of the family and
 * is what MySQL, PlanetScale / Vitess and several hosts (fail-over) need; MariaDB Connector/J is
 * faster against MariaDB: measured on {@code GET /posts/{id}} over MariaDB 10.11, alternating with
 * Connector/J in one run, the server's CPU per request 41 -> 27 µs and requests/s x1.33 (README, "Benchmarks").
 */
public enum JdbcDriver {

    CONNECTOR_J("MySQL Connector/J", "com.mysql.cj.jdbc.Driver"),
    MARIADB_CONNECTOR_J("MariaDB Connector/J", "org.mariadb.jdbc.Driver");

    /**
     * URL parameters both drivers read alike. Any other parameter in a {@code jdbc:mysql://} URL was
     * written for Connector/J, so {@link #forServer} keeps it.
     */
    private static final Set<String> SHARED_PARAMETERS = Set.of("createdatabaseifnotexist", "connecttimeout");

    private final String displayName;
    private final String className;

    JdbcDriver(String displayName, String className) {
        this.displayName = displayName;
        this.className = className;
    }

    /** E.g. {@code MariaDB Connector/J}. */
    public String displayName() {
        return displayName;
    }

    /** The driver's {@link java.sql.Driver} class. */
    public String className() {
        return className;
    }

    /** Whether the driver is on the class path (both are optional dependencies of this module). */
    public boolean isAvailable() {
        try {
            Class.forName(className, false, JdbcDriver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The URL for this driver, without credentials, with sqlkit's pooled-service settings where the
     * URL does not set them itself.
     */
    public String jdbcUrl(MysqlUrl url, Duration connectTimeout) {
        return switch (this) {
            case CONNECTOR_J -> url.withDefaults(ConnectorJ.pooledServiceProperties(url, connectTimeout)).jdbcUrl();
            case MARIADB_CONNECTOR_J -> url.withDefaults(MariaDbConnectorJ.pooledServiceProperties(connectTimeout))
                    .jdbcUrl("jdbc:mariadb://");
        };
    }

    /**
     * The faster driver that serves {@code url} as it is: MariaDB Connector/J for a MariaDB server
     * (as its greeting says) at a single host, when the driver is on the class path and the URL
     * carries no parameters of Connector/J's own; Connector/J for everything else, and when no
     * greeting came. Several hosts keep Connector/J, whose fail-over along the host list the Galera
     * set-up relies on ({@link ConnectorJ#pooledServiceProperties}).
     */
    public static JdbcDriver forServer(MysqlUrl url, Optional<ServerGreeting> greeting) {
        boolean plainUrl = url.parameters().keySet().stream()
                .allMatch(name -> SHARED_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)));
        return greeting.isPresent() && greeting.get().isMariaDb() && !url.isMultiHost() && plainUrl
                && MARIADB_CONNECTOR_J.isAvailable() ? MARIADB_CONNECTOR_J : CONNECTOR_J;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
