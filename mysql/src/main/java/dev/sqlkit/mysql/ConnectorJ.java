package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * MySQL Connector/J as sqlkit uses it: the driver, and the settings every pool of ours gives it.
 * Needs {@code com.mysql:mysql-connector-j} on the class path.
 */
public final class ConnectorJ {

    /**
     * Run on every new pooled connection. Stored timestamps are UTC, so sessions must be too; a
     * numeric offset works without the server's time zone tables.
     */
    public static final String UTC_SESSION_SQL = "SET time_zone = '+00:00'";

    private ConnectorJ() {
    }

    /**
     * The driver's settings for a pooled service (HikariCP's recommendations for MySQL): prepared
     * statements on the server, cached per connection, no round trips for session state the driver already knows,
     * no timing bookkeeping, few system calls per query. A URL's own parameters win over these ({@link MysqlUrl#withDefaults}).
     *
     * <p>For a URL listing several hosts, also {@code failOverReadOnly=false}: Connector/J fails over
     * along the host list, but by default makes a failed-over connection read-only (meant for a
     * primary followed by read replicas). The hosts of a sqlkit URL are peers (a Galera cluster, a
     * proxy pair), each taking writes, so a pool would otherwise hand out connections on which every
     * write fails after one node went away.
     *
     * <p>And {@code secondsBeforeRetrySource=0}, {@code queriesBeforeRetrySource=0}: no automatic
     * fall-back of a failed-over connection to the first host. The driver falls back as soon as that
     * host accepts connections, but a Galera node that restarts accepts them while it is still
     * joining and answers every query with error 1047 ("WSREP has not yet prepared node for
     * application use") until it is Synced: each connection that fell back would cost a request a
     * 503. A failed-over connection stays on its peer until the pool retires it; new connections
     * still try the hosts in order.
     *
     * @param url            the database the pool is for
     * @param connectTimeout how long opening a connection may take before it fails
     */
    public static Map<String, String> pooledServiceProperties(MysqlUrl url, Duration connectTimeout) {
        Map<String, String> properties = new LinkedHashMap<>();
        // Statements prepared on the server once per connection and then executed by id with binary
        // values: the server no longer parses each query's text. Measured on GET /posts/{id}: the
        // database's CPU per request down by about a tenth, throughput up by as much, p99 a third.
        properties.put("useServerPrepStmts", "true");
        properties.put("cachePrepStmts", "true");
        properties.put("prepStmtCacheSize", "250");
        properties.put("prepStmtCacheSqlLimit", "2048");
        properties.put("useLocalSessionState", "true");
        properties.put("cacheServerConfiguration", "true");
        properties.put("elideSetAutoCommits", "true");
        properties.put("maintainTimeStats", "false");
        properties.put("rewriteBatchedStatements", "true");
        // A plain buffer under the protocol reader rather than the driver's read-ahead stream, which
        // asks the socket how much is available (an ioctl) before every read and reads a packet's
        // 4-byte header on its own: a point select cost 3.1 reads and 2.6 ioctls, now 2.8 and none
        // (the one left, before each command, WatchedSockets answers without asking the kernel).
        properties.put("useReadAheadInput", "false");
        properties.put("useUnbufferedInput", "false");
        properties.put("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        // A connection whose server froze or whose network vanished would otherwise block its caller
        // forever: its reads time out after 30 s, kept by a watchdog rather than by the driver's
        // socketTimeout, which costs every read a timer (WatchedSockets says how much).
        properties.put("socketFactory", WatchedSockets.class.getName());
        if (url.isMultiHost()) {
            properties.put("failOverReadOnly", "false");
            properties.put("secondsBeforeRetrySource", "0");
            properties.put("queriesBeforeRetrySource", "0");
        }
        return properties;
    }

    /**
     * One connection, outside any pool, failing within {@code connectTimeout} when nothing answers.
     * The driver is instantiated directly rather than looked up through DriverManager, which cannot
     * see drivers that live in a Maven plugin's class realm.
     */
    public static Connection connect(MysqlUrl url, Duration connectTimeout) throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        properties.setProperty("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        Connection connection = Holder.DRIVER.connect(url.jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("Connector/J does not accept the URL " + url);
        }
        return connection;
    }

    /** Loaded on first use only, so that URL handling works without the driver on the class path. */
    private static final class Holder {
        static final Driver DRIVER = newDriver();

        private static Driver newDriver() {
            try {
                return new com.mysql.cj.jdbc.Driver();
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
