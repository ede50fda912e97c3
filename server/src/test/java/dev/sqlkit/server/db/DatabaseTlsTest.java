package dev.sqlkit.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sqlkit.mysql.EmbeddedMariaDb;
import dev.sqlkit.server.ConfigurationException;
import dev.sqlkit.server.SqlkitServer;

/**
 * TLS to the database as {@code ssl_mode} / {@code ssl_ca} configure it, against a real MariaDB that
 * presents a certificate signed by a CA made here: what connects is encrypted, what must not connect
 * stops start-up with a message naming the problem and the setting, and nothing falls back to plaintext.
 *
 * <p>The server under test starts exactly as in production ({@link SqlkitServer#start}, application.yaml
 * included). Whether a session is encrypted is read from the database's side ({@code Ssl_cipher}) on a
 * pool that {@link Database#open} builds from the same configuration, i.e. by the code that builds the
 * server's pool.
 *
 * <p>MariaDB is installed once into a temporary directory; each nested class restarts it on that data
 * directory with the TLS options it needs (a restart takes a second or two, an install much longer),
 * and the last one is stopped after all. JUnit runs the nested classes one after another, so only one
 * mariadbd runs at a time.
 */
class DatabaseTlsTest {

    private static final Logger LOGGER = Logger.getLogger(DatabaseTlsTest.class.getName());
    private static final String DATABASE = "sqlkit_tls";
    /** mariadbd runs with --skip-grant-tables, so any password is accepted; this one must appear in no message. */
    private static final String PASSWORD = "tls-hunter2";

    @TempDir
    static Path dir;

    /** CA #1, which signed both server certificates below. */
    private static Path ca;
    /** CA #2, unrelated to the database. */
    private static Path otherCa;
    /** Signed by CA #1 for IP:127.0.0.1 and DNS:localhost, where the test connects. */
    private static TestCertificates.Issued forItsAddress;
    /** Signed by CA #1 for DNS:wrong-host.example only. */
    private static TestCertificates.Issued forAnotherHost;
    /** The running mariadbd, with the options of the nested class under test. */
    private static EmbeddedMariaDb mariaDb;

    @BeforeAll
    static void makeCertificates() {
        LOGGER.info("certificates made with " + TestCertificates.tool());
        TestCertificates.Authority authority = TestCertificates.authority(dir, "ca");
        ca = authority.certificate();
        otherCa = TestCertificates.authority(dir, "other-ca").certificate();
        forItsAddress = authority.issue(dir, "server", "IP:127.0.0.1,DNS:localhost");
        forAnotherHost = authority.issue(dir, "wrong-host", "DNS:wrong-host.example");
    }

    @AfterAll
    static void stopMariaDb() {
        if (mariaDb != null) {
            mariaDb.close();
        }
    }

    @Nested
    class AServerWithACertificateForItsAddress {

        @BeforeAll
        static void start() {
            restartMariaDb(tls(forItsAddress));
        }

        @WithEitherDriver
        void verifyIdentityWithTheRightCaFromTheUrlConnectsEncrypted(String driver) {
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=verify_identity&ssl_ca=" + ca), "verify_identity");
        }

        @WithEitherDriver
        void verifyIdentityWithTheRightCaFromConfigurationConnectsEncrypted(String driver) {
            assertStartsEncrypted(Map.of(
                    "database.url", "jdbc:mysql://127.0.0.1:" + mariaDb.port() + "/" + DATABASE,
                    "database.user", "root",
                    "database.password", PASSWORD,
                    "database.ssl.mode", "verify_identity",
                    "database.ssl.ca", ca.toString(),
                    "database.driver", driver), "verify_identity");
        }

        @WithEitherDriver
        void verifyIdentityMatchesAHostNameToo(String driver) {
            // The certificate names DNS:localhost as well as IP:127.0.0.1; both are the server's identity.
            assertStartsEncrypted(url(driver, "localhost", mariaDb, "?ssl_mode=verify_identity&ssl_ca=" + ca), "verify_identity");
        }

        @WithEitherDriver
        void verifyCaWithTheRightCaConnectsEncrypted(String driver) {
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=verify_ca&ssl_ca=" + ca), "verify_ca");
        }

        @WithEitherDriver
        void requiredConnectsEncryptedWithoutACa(String driver) {
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=required"), "required");
        }

        @WithEitherDriver
        void preferredUsesTlsWhenTheServerOffersIt(String driver) {
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=preferred"), "preferred");
        }

        @WithEitherDriver
        void noModeUsesTlsWhenTheServerOffersItAsPreferredDoes(String driver) {
            assertFalse(cipherWith(url(driver, "127.0.0.1", mariaDb, "")).isEmpty(), "no ssl_mode connected without TLS");
        }

        @WithEitherDriver
        void disabledIsHonouredAndConnectsInPlaintext(String driver) {
            // The server offers TLS and does not insist: disabled must really mean no TLS, not be ignored.
            Map<String, String> settings = url(driver, "127.0.0.1", mariaDb, "?ssl_mode=disabled");
            assertStarts(settings, "disabled");
            assertEquals("", cipherWith(settings), "ssl_mode=disabled negotiated TLS");
        }

        @WithEitherDriver
        void aCertificateFromAnotherCaIsRefusedFromTheUrl(String driver) {
            ConfigurationException error = refusedAtStartup(url(driver, "127.0.0.1", mariaDb,
                    "?ssl_mode=verify_identity&ssl_ca=" + otherCa));
            assertContains(error, "not signed by the CA in ssl_ca");
            assertContains(error, otherCa.toString());
        }

        @WithEitherDriver
        void aCertificateFromAnotherCaIsRefusedFromConfigurationInVerifyCaModeToo(String driver) {
            ConfigurationException error = refusedAtStartup(Map.of(
                    "database.url", "jdbc:mysql://127.0.0.1:" + mariaDb.port() + "/" + DATABASE,
                    "database.user", "root",
                    "database.password", PASSWORD,
                    "database.ssl.mode", "verify_ca",
                    "database.ssl.ca", otherCa.toString(),
                    "database.driver", driver));
            assertContains(error, "not signed by the CA in ssl_ca");
            assertContains(error, "database.ssl.ca");
        }
    }

    @Nested
    class AServerWithACertificateForAnotherHost {

        @BeforeAll
        static void start() {
            restartMariaDb(tls(forAnotherHost));
        }

        @WithEitherDriver
        void verifyIdentityRefusesACertificateForAnotherHostName(String driver) {
            ConfigurationException error = refusedAtStartup(url(driver, "127.0.0.1", mariaDb,
                    "?ssl_mode=verify_identity&ssl_ca=" + ca));
            assertContains(error, "its TLS certificate does not name the host '127.0.0.1' in database.url");
            assertContains(error, "ssl_mode verify_identity");
        }

        @WithEitherDriver
        void verifyCaChecksTheCaButNotTheHostName(String driver) {
            // What verify_ca means: the chain is checked, the name in the certificate is not.
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=verify_ca&ssl_ca=" + ca), "verify_ca");
        }
    }

    @Nested
    class AServerThatRequiresSecureTransport {

        @BeforeAll
        static void start() {
            List<String> options = new ArrayList<>(tls(forItsAddress));
            options.add("--require-secure-transport=ON");
            restartMariaDb(options);
        }

        @WithEitherDriver
        void disabledStopsStartupInsteadOfConnectingInPlaintext(String driver) {
            ConfigurationException error = refusedAtStartup(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=disabled"));
            assertContains(error, "insecure transport are prohibited");
            assertContains(error, "ssl_mode");
        }

        @WithEitherDriver
        void verifyIdentityIsAccepted(String driver) {
            // The refusal above is about plaintext, not about this server refusing everyone.
            assertStartsEncrypted(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=verify_identity&ssl_ca=" + ca), "verify_identity");
        }
    }

    @Nested
    class AServerWithoutTls {

        @BeforeAll
        static void start() {
            // MariaDB 11.4 makes itself a certificate when given none; --skip-ssl really turns TLS off.
            restartMariaDb(List.of("--skip-ssl"));
        }

        @WithEitherDriver
        void preferredConnectsInPlaintext(String driver) {
            Map<String, String> settings = url(driver, "127.0.0.1", mariaDb, "?ssl_mode=preferred");
            assertStarts(settings, "preferred");
            assertEquals("", cipherWith(settings));
        }

        @WithEitherDriver
        void requiredStopsStartupInsteadOfFallingBackToPlaintext(String driver) {
            ConfigurationException error = refusedAtStartup(url(driver, "127.0.0.1", mariaDb, "?ssl_mode=required"));
            assertContains(error, "it offers no TLS, and ssl_mode required never falls back to plaintext");
        }

        @WithEitherDriver
        void verifyIdentityStopsStartupInsteadOfFallingBackToPlaintext(String driver) {
            ConfigurationException error = refusedAtStartup(url(driver, "127.0.0.1", mariaDb,
                    "?ssl_mode=verify_identity&ssl_ca=" + ca));
            assertContains(error, "it offers no TLS, and ssl_mode verify_identity never falls back to plaintext");
        }
    }

    /**
     * Runs the test once with {@code database.driver} auto (MariaDB Connector/J, as every server here
     * is a MariaDB) and once with Connector/J; the test takes the setting's value.
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "database.driver {0}")
    @ValueSource(strings = {"auto", "connector-j"})
    @interface WithEitherDriver {
    }

    // --- the database ---

    private static List<String> tls(TestCertificates.Issued certificate) {
        return List.of("--ssl-ca=" + ca, "--ssl-cert=" + certificate.certificate(), "--ssl-key=" + certificate.key());
    }

    /**
     * Stops the previous nested class's mariadbd, if any, restarts the shared data directory with
     * {@code options} and makes sure the test's database exists.
     */
    private static void restartMariaDb(List<String> options) {
        stopMariaDb();
        mariaDb = null;
        EmbeddedMariaDb started = EmbeddedMariaDb.persistent(dir.resolve("mariadb"), options);
        // The mysql:// form has no createDatabaseIfNotExist. PREFERRED connects to every server here.
        try (Connection connection = DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + started.port() + "/?sslMode=PREFERRED", "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
        } catch (SQLException e) {
            started.close();
            throw new IllegalStateException("cannot create " + DATABASE + ": " + e.getMessage()
                    + "; see " + dir.resolve("mariadb/mariadb.log"), e);
        }
        mariaDb = started;
    }

    /** The replaced services' form, as DATABASE_URL gives it. */
    private static Map<String, String> url(String driver, String host, EmbeddedMariaDb mariaDb, String query) {
        return Map.of("database.url", "mysql://root:" + PASSWORD + "@" + host + ":" + mariaDb.port() + "/" + DATABASE + query,
                "database.driver", driver);
    }

    // --- the server under test ---

    /** As RunningServer.config (another package): the given settings over application.yaml, no environment. */
    private static Config config(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("server.port", "0", "server.host", "127.0.0.1",
                "database.pool.size", "2"));
        all.putAll(settings);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(all), ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** Starts the server as production does and checks it serves: its readiness check queries the database. */
    private static void assertStarts(Map<String, String> settings, String mode) {
        try (SqlkitServer server = SqlkitServer.start(config(settings));
                HttpClient client = HttpClient.newHttpClient()) {
            assertTrue(server.databaseDescription().endsWith(", TLS " + mode), server.databaseDescription());
            // Every server here is a MariaDB: auto chooses its own driver.
            String driver = "auto".equals(settings.get("database.driver")) ? "MariaDB Connector/J" : "MySQL Connector/J";
            assertTrue(server.databaseDescription().contains(" through " + driver + ","), server.databaseDescription());
            HttpResponse<String> ready = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/observe/health/ready"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
        } catch (IOException e) {
            throw new AssertionError("the server did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertStartsEncrypted(Map<String, String> settings, String mode) {
        assertStarts(settings, mode);
        String cipher = cipherWith(settings);
        assertFalse(cipher.isEmpty(), "ssl_mode=" + mode + " connected without TLS");
        LOGGER.info("ssl_mode " + mode + ": encrypted with " + cipher);
    }

    /**
     * The TLS cipher of a session of a pool built from {@code settings} by {@link Database#open}, as the
     * server builds its own; empty when the session is plaintext.
     */
    private static String cipherWith(Map<String, String> settings) {
        try (Database database = Database.open(DatabaseSettings.from(config(settings).get("database")))) {
            return sessionStatus(database.dataSource(), "Ssl_cipher");
        }
    }

    private static String sessionStatus(DataSource dataSource, String name) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SHOW SESSION STATUS LIKE '" + name + "'")) {
            assertTrue(row.next(), name + " is not a status variable here");
            return row.getString(2);
        } catch (SQLException e) {
            throw new AssertionError("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static ConfigurationException refusedAtStartup(Map<String, String> settings) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> {
            SqlkitServer server = SqlkitServer.start(config(settings));
            server.close(); // it should not have started; close it so the failure is about the assertion only
        });
        assertFalse(error.getMessage().contains(PASSWORD), error.getMessage());
        LOGGER.info("refused as expected: " + error.getMessage());
        return error;
    }

    private static void assertContains(ConfigurationException error, String expected) {
        assertTrue(error.getMessage().contains(expected), "expected '" + expected + "' in: " + error.getMessage());
    }
}
