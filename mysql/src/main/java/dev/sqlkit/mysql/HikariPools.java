package dev.sqlkit.mysql;

import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;

/**
 * The HikariCP configuration every sqlkit pool starts from: Connector/J's pooled-service settings
 * (where the URL does not set them itself), the URL's credentials, a fixed size, and sessions in UTC.
 * Callers add what is theirs (timeouts, TLS) before they build the pool. Needs {@code HikariCP}.
 */
public final class HikariPools {

    private HikariPools() {
    }

    /**
     * @param url            the database, credentials included (they go to the pool, not into its URL)
     * @param poolName       names the pool in logs and metrics
     * @param size           the number of connections, kept open
     * @param connectTimeout how long opening one connection may take
     */
    public static HikariConfig config(MysqlUrl url, String poolName, int size, Duration connectTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(url.withDefaults(ConnectorJ.pooledServiceProperties(url, connectTimeout)).jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionInitSql(ConnectorJ.UTC_SESSION_SQL);
        return config;
    }
}
