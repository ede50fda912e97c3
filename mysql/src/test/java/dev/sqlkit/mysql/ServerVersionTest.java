package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void mariaDbsCompatibilityPrefixIsNotItsVersion() {
        ServerVersion version = ServerVersion.of("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1");
        assertTrue(version.isMariaDb());
        assertEquals("10.11.19-MariaDB-0+deb12u1", version.version());
        assertEquals(10, version.major());
        assertEquals(11, version.minor());
    }

    @Test
    void supportedServersAreMariaDb1011OnAndMySql80On() {
        assertTrue(ServerVersion.of("MySQL", "5.5.5-10.11.19-MariaDB").isSupported());
        assertTrue(ServerVersion.of("MySQL", "11.4.5-MariaDB").isSupported());
        assertTrue(ServerVersion.of("MySQL", "8.4.3").isSupported());
        assertFalse(ServerVersion.of("MySQL", "5.5.5-10.6.18-MariaDB").isSupported());
        assertFalse(ServerVersion.of("MySQL", "5.7.44").isSupported());
    }
}
