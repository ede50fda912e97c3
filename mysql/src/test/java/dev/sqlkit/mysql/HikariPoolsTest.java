package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

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
}
