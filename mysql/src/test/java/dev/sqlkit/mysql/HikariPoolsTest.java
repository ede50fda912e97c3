package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;

class HikariPoolsTest {

    private static String poolUrl(String url) {
        HikariConfig config = HikariPools.config(MysqlUrl.parse(url, "database.url"), "test", 2, Duration.ofSeconds(1));
        return config.getJdbcUrl();
    }

    @Test
    void severalHostsKeepFailedOverConnectionsWritable() {
        String url = poolUrl("jdbc:mysql://node1:3306,node2:3306,node3:3306/app?user=root");
        assertTrue(url.startsWith("jdbc:mysql://node1:3306,node2:3306,node3:3306/app?"), url);
        assertTrue(url.contains("failOverReadOnly=false"), url);
    }

    @Test
    void severalHostsNeverFallBackToTheFirstHostByThemselves() {
        String url = poolUrl("jdbc:mysql://node1,node2/app");
        assertTrue(url.contains("secondsBeforeRetrySource=0"), url);
        assertTrue(url.contains("queriesBeforeRetrySource=0"), url);
        assertFalse(poolUrl("jdbc:mysql://db:3306/app").contains("RetrySource"));
    }

    @Test
    void theServiceFormWithSeveralHostsGetsTheSameDefault() {
        assertTrue(poolUrl("mysql://app:pw@node1,node2/app").contains("failOverReadOnly=false"));
    }

    @Test
    void oneHostGetsNoFailOverSetting() {
        assertFalse(poolUrl("jdbc:mysql://db:3306/app").contains("failOverReadOnly"));
    }

    @Test
    void whatTheUrlSaysWins() {
        String url = poolUrl("jdbc:mysql://node1,node2/app?failOverReadOnly=true");
        assertTrue(url.contains("failOverReadOnly=true"), url);
        assertEquals(url.indexOf("failOverReadOnly"), url.lastIndexOf("failOverReadOnly"), url);
    }

    @Test
    void mariaDbConnectorJGetsItsOwnSchemeAndSettings() {
        HikariConfig config = HikariPools.config(MysqlUrl.parse("mysql://app:pw@db:3307/app", "database.url"),
                JdbcDriver.MARIADB_CONNECTOR_J, "test", 2, Duration.ofSeconds(1));
        String url = config.getJdbcUrl();
        assertTrue(url.startsWith("jdbc:mariadb://db:3307/app?"), url);
        assertTrue(url.contains("useServerPrepStmts=true"), url);
        assertTrue(url.contains("socketFactory=" + MariaDbWatchedSockets.class.getName()), url);
        assertFalse(url.contains("pw"), "no password in the URL: " + url);
        assertEquals("org.mariadb.jdbc.Driver", config.getDriverClassName());
        assertEquals("app", config.getUsername());
    }

    @Test
    void theDriverFollowsTheGreeting() {
        MysqlUrl one = MysqlUrl.parse("jdbc:mysql://db:3306/app", "database.url");
        Optional<ServerGreeting> mariaDb = Optional.of(new ServerGreeting("5.5.5-10.11.19-MariaDB-0+deb12u1", 0xf7ff));
        Optional<ServerGreeting> mysql = Optional.of(new ServerGreeting("8.4.3", 0xffff));
        assertEquals(JdbcDriver.MARIADB_CONNECTOR_J, JdbcDriver.forServer(one, mariaDb));
        assertEquals(JdbcDriver.CONNECTOR_J, JdbcDriver.forServer(one, mysql));
        assertEquals(JdbcDriver.CONNECTOR_J, JdbcDriver.forServer(one, Optional.empty()), "no greeting: no guess");
        assertEquals(JdbcDriver.CONNECTOR_J, JdbcDriver.forServer(MysqlUrl.parse("jdbc:mysql://n1,n2/app", "u"), mariaDb),
                "several hosts: Connector/J's fail-over");
        assertEquals(JdbcDriver.CONNECTOR_J, JdbcDriver.forServer(MysqlUrl.parse("jdbc:mysql://db/app?useCursorFetch=true", "u"),
                mariaDb), "a parameter written for Connector/J keeps it");
        assertEquals(JdbcDriver.MARIADB_CONNECTOR_J,
                JdbcDriver.forServer(MysqlUrl.parse("jdbc:mysql://db/app?createDatabaseIfNotExist=true", "u"), mariaDb));
    }

    @Test
    void aGreetingIsReadFromTheHandshakePacket() {
        byte[] version = "5.5.5-10.11.19-MariaDB".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] payload = new byte[1 + version.length + 1 + 4 + 8 + 1 + 2 + 10];
        payload[0] = 10;
        System.arraycopy(version, 0, payload, 1, version.length);
        int flags = 1 + version.length + 1 + 4 + 8 + 1;
        payload[flags] = (byte) 0xff;
        payload[flags + 1] = (byte) 0x08; // CLIENT_SSL among them
        ServerGreeting greeting = ServerGreeting.parse(payload).orElseThrow();
        assertEquals("5.5.5-10.11.19-MariaDB", greeting.version());
        assertTrue(greeting.isMariaDb());
        assertTrue(greeting.offersTls());
        payload[flags + 1] = 0;
        assertFalse(ServerGreeting.parse(payload).orElseThrow().offersTls());
        assertTrue(ServerGreeting.parse(new byte[] {(byte) 0xff, 0x15, 0x04}).isEmpty(), "an error packet is no greeting");
    }
}
