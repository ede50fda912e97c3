package dev.sqlkit.codegen.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {

    @Test
    void masksPasswordsInParametersAndUserInfo() {
        assertEquals("jdbc:mysql://db:3306/app?user=root&password=***&sslMode=REQUIRED",
                JdbcUrls.mask("jdbc:mysql://db:3306/app?user=root&password=s3cret&sslMode=REQUIRED"));
        assertEquals("jdbc:mysql://root:***@db:3306/app", JdbcUrls.mask("jdbc:mysql://root:hunter2@db:3306/app"));
        assertEquals("jdbc:mysql://db/app?PASSWORD=***", JdbcUrls.mask("jdbc:mysql://db/app?PASSWORD=x"));
    }

    @Test
    void replacesOnlyTheDatabasePart() {
        assertEquals("jdbc:mysql://db:3306/other?sslMode=REQUIRED",
                JdbcUrls.withDatabase("jdbc:mysql://db:3306/app?sslMode=REQUIRED", "other"));
        assertEquals("jdbc:mysql://db:3306/other", JdbcUrls.withDatabase("jdbc:mysql://db:3306", "other"));
        assertEquals("jdbc:mysql://db:3306/", JdbcUrls.withDatabase("jdbc:mysql://db:3306/app", ""));
        assertEquals("jdbc:mysql://db:3306/x?a=b/c", JdbcUrls.withDatabase("jdbc:mysql://db:3306?a=b/c", "x"));
        assertEquals("jdbc:mysql://[::1]:3306,h2:3307/x", JdbcUrls.withDatabase("jdbc:mysql://[::1]:3306,h2:3307/app", "x"));
    }

    @Test
    void readsAndRemovesParameters() {
        String url = "jdbc:mysql://db/app?user=root&password=pw&useSSL=false";
        assertEquals(Optional.of("root"), JdbcUrls.parameter(url, "user"));
        assertEquals(Optional.of("pw"), JdbcUrls.parameter(url, "PASSWORD"));
        assertEquals(Optional.empty(), JdbcUrls.parameter(url, "sslMode"));
        assertEquals("jdbc:mysql://db/app?useSSL=false", JdbcUrls.withoutParameters(url, "user", "password"));
        assertEquals("jdbc:mysql://db/app", JdbcUrls.withoutParameters("jdbc:mysql://db/app?user=root", "user"));
    }

    @Test
    void rejectsUrlsThatAreNotConnectorJUrls() {
        ProvisioningException error = assertThrows(ProvisioningException.class,
                () -> JdbcUrls.withDatabase("jdbc:postgresql://db/app?password=pw", "x"));
        assertTrue(error.getMessage().contains("jdbc:mysql://host:port/database"), error.getMessage());
        assertTrue(error.getMessage().contains("password=***"), error.getMessage());
    }
}
