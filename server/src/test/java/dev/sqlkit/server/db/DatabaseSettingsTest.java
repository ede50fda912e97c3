package dev.sqlkit.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlkit.mysql.JdbcDriver;
import dev.sqlkit.server.ConfigurationException;

/** The database settings a deployment gives, read and checked before anything connects. */
class DatabaseSettingsTest {

    @TempDir
    Path dir;

    private static DatabaseSettings settings(Map<String, String> values) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(values))
                .build();
        return DatabaseSettings.from(config.get("database"));
    }

    @Test
    void theReplacedServicesUrlFormIsUnderstood() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        DatabaseSettings settings = settings(Map.of("database.url",
                "mysql://app:p%40ss:w0rd@db.example.com:3307/blog?ssl_mode=verify_identity&ssl_ca=" + ca));
        assertEquals("jdbc:mysql://db.example.com:3307/blog", settings.jdbcUrl());
        assertEquals("app", settings.user());
        assertEquals("p@ss:w0rd", settings.password());
        assertEquals(SslMode.VERIFY_IDENTITY, settings.sslMode());
        assertEquals(ca, settings.sslCa());
        assertFalse(settings.isEmbedded());
    }

    @Test
    void aJdbcUrlWithSeparateCredentialsAndPoolSettings() {
        DatabaseSettings settings = settings(Map.of("database.url", "jdbc:mysql://127.0.0.1:3306/app",
                "database.user", "root", "database.password", "secret", "database.pool.size", "8",
                "database.pool.timeout", "1500", "database.migrate", "false"));
        assertEquals("jdbc:mysql://127.0.0.1:3306/app", settings.jdbcUrl());
        assertEquals(8, settings.poolSize());
        assertEquals(Duration.ofMillis(1500), settings.poolTimeout());
        assertFalse(settings.migrate());
        assertNull(settings.sslMode());
    }

    @Test
    void theMigrationWaitAndTheIdempotencyKeysLifeAreSettingsWithDefaults() {
        DatabaseSettings defaults = settings(Map.of());
        assertEquals(Duration.ofMinutes(5), defaults.migrationWait());
        assertEquals(Duration.ofHours(24), defaults.idempotencyTtl());

        DatabaseSettings given = settings(Map.of("database.migration.wait", "PT30S", "database.idempotency.ttl", "PT1H"));
        assertEquals(Duration.ofSeconds(30), given.migrationWait());
        assertEquals(Duration.ofHours(1), given.idempotencyTtl());

        ConfigurationException negative = assertThrows(ConfigurationException.class,
                () -> settings(Map.of("database.migration.wait", "-PT1S")));
        assertTrue(negative.getMessage().startsWith("database.migration.wait (DATABASE_MIGRATION_WAIT) is PT-1S"), negative.getMessage());
        ConfigurationException tooShort = assertThrows(ConfigurationException.class,
                () -> settings(Map.of("database.idempotency.ttl", "PT0S")));
        assertTrue(tooShort.getMessage().startsWith("database.idempotency.ttl (DATABASE_IDEMPOTENCY_TTL) is PT0S"), tooShort.getMessage());
        ConfigurationException unreadable = assertThrows(ConfigurationException.class,
                () -> settings(Map.of("database.idempotency.ttl", "a day")));
        assertTrue(unreadable.getMessage().contains("database.idempotency.ttl is 'a day'"), unreadable.getMessage());
    }

    @Test
    void aCaWithoutAModeMeansVerifyAgainstIt() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertEquals(SslMode.VERIFY_CA, settings(Map.of("database.url", "mysql://db/app?ssl_ca=" + ca)).sslMode());
        assertEquals(SslMode.VERIFY_CA, settings(Map.of("database.url", "jdbc:mysql://db/app", "database.ssl.ca", ca.toString())).sslMode());
    }

    @Test
    void noUrlMeansTheEmbeddedDatabaseInTheConfiguredDirectory() {
        DatabaseSettings settings = settings(Map.of("database.embedded.dir", dir.toString()));
        assertTrue(settings.isEmbedded());
        assertEquals(dir, settings.embeddedDir());
        assertEquals(Duration.ofSeconds(3), settings.poolTimeout(), "a few seconds, not HikariCP's 30");
        assertTrue(settings.migrate());
    }

    @Test
    void passwordsAppearInNoDescription() {
        DatabaseSettings settings = settings(Map.of("database.url", "mysql://app:hunter2@db:3306/blog"));
        assertFalse(settings.display().contains("hunter2"), settings.display());
        assertFalse(settings.toString().contains("hunter2"), settings.toString());
    }

    @Test
    void mistakesNameTheSettingAndTheFix() {
        assertMessage(Map.of("database.url", "postgres://db/app"), "database.url (DATABASE_URL) must start with jdbc:mysql:// or mysql://");
        assertMessage(Map.of("database.url", "mysql://db:3306/"), "names no database");
        assertMessage(Map.of("database.url", "mysql://db/app?ssl_mode=sometimes"), "ssl_mode in database.url is 'sometimes'; use one of disabled, preferred, required, verify_ca, verify_identity");
        assertMessage(Map.of("database.url", "mysql://db/app?ssl_mode=verify_ca"), "needs the CA to verify against: add ssl_ca=");
        assertMessage(Map.of("database.url", "mysql://db/app?ssl_mode=required&ssl_ca=/no/such/ca.pem"), "/no/such/ca.pem, which is not a readable file");
        assertMessage(Map.of("database.url", "mysql://db/app", "database.pool.size", "0"), "database.pool.size (DATABASE_POOL_SIZE) is 0; use 1 to 1000");
        assertMessage(Map.of("database.url", "mysql://db/app", "database.pool.timeout", "soon"), "database.pool.timeout is 'soon'");
        assertMessage(Map.of("database.ssl.mode", "required"), "TLS settings apply to a configured database");
        assertMessage(Map.of("database.url", "mysql://db/app", "database.driver", "odbc"),
                "database.driver (DATABASE_DRIVER) is 'odbc'; use auto");
        assertMessage(Map.of("database.url", "mysql://n1,n2/app", "database.driver", "mariadb"),
                "database.url lists 2 hosts; their fail-over is Connector/J's: set database.driver to auto or connector-j");
    }

    @Test
    void theDriverIsChosenUnlessNamed() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertNull(settings(Map.of("database.url", "mysql://db/app")).driver(), "auto: chosen when the server greets");
        assertEquals(JdbcDriver.CONNECTOR_J, settings(Map.of("database.url", "mysql://db/app", "database.driver", "connector-j")).driver());
        assertEquals(JdbcDriver.MARIADB_CONNECTOR_J, settings(Map.of("database.url", "mysql://db/app", "database.driver", "MariaDB")).driver());
        assertEquals(JdbcDriver.MARIADB_CONNECTOR_J, settings(Map.of("database.url", "mysql://db/app?ssl_mode=verify_ca&ssl_ca="
                + dir.resolve("ca.pem"), "database.driver", "mariadb")).driver(), "either driver takes the TLS settings");
    }

    private static void assertMessage(Map<String, String> values, String expected) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> settings(values));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
