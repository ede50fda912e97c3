package dev.sqlkit.mysql;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;

/**
 * The HikariCP configuration every sqlkit pool starts from: the driver's pooled-service settings
 * (where the URL does not set them itself), the URL's credentials, a fixed size, and sessions in UTC.
 * Callers add what is theirs (timeouts, TLS) before they build the pool. Needs {@code HikariCP}.
 */
public final class HikariPools {

    private HikariPools() {
    }

    /** A pool through Connector/J; see {@link #config(MysqlUrl, JdbcDriver, String, int, Duration)}. */
    public static HikariConfig config(MysqlUrl url, String poolName, int size, Duration connectTimeout) {
        return config(url, JdbcDriver.CONNECTOR_J, poolName, size, connectTimeout);
    }

    /**
     * @param url            the database, credentials included (they go to the pool, not into its URL)
     * @param driver         the driver, which must be on the class path ({@link JdbcDriver#forServer} chooses one)
     * @param poolName       names the pool in logs and metrics
     * @param size           the number of connections, kept open
     * @param connectTimeout how long opening one connection may take
     */
    public static HikariConfig config(MysqlUrl url, JdbcDriver driver, String poolName, int size, Duration connectTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setDriverClassName(driver.className());
        config.setJdbcUrl(driver.jdbcUrl(url, connectTimeout));
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionInitSql(ConnectorJ.UTC_SESSION_SQL);
        return config;
    }
}
