package dev.sqlkit.mysql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MariaDB Connector/J as sqlkit uses it for MariaDB servers: the settings every pool of ours gives
 * it. Needs {@code org.mariadb.jdbc:mariadb-java-client} on the class path; {@link JdbcDriver} says
 * when a pool uses it rather than {@link ConnectorJ}.
 */
public final class MariaDbConnectorJ {

    private MariaDbConnectorJ() {
    }

    /**
     * The driver's settings for a pooled service: statements prepared on the server once per
     * connection and cached, executed by id with binary values. A MariaDB server (10.6 and later)
     * then sends a query's column descriptions once, at PREPARE, instead of with every result
     * (the driver asks for that with the protocol's metadata cache; Connector/J cannot, and parses
     * six column definitions per point select). Reads time out by {@link ReadWatchdog}. A URL's own
     * parameters win over these.
     *
     * @param connectTimeout how long opening a connection may take before it fails
     */
    public static Map<String, String> pooledServiceProperties(Duration connectTimeout) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("useServerPrepStmts", "true");
        properties.put("cachePrepStmts", "true");
        properties.put("prepStmtCacheSize", "250");
        properties.put("connectTimeout", String.valueOf(connectTimeout.toMillis()));
        properties.put("socketFactory", MariaDbWatchedSockets.class.getName());
        return properties;
    }
}
