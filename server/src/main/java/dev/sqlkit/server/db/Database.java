package dev.sqlkit.server.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXReason;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import dev.sqlkit.mysql.EmbeddedMariaDb;
import dev.sqlkit.mysql.HikariPools;
import dev.sqlkit.mysql.JdbcDriver;
import dev.sqlkit.mysql.MysqlSetupException;
import dev.sqlkit.mysql.MysqlUrl;
import dev.sqlkit.mysql.ServerGreeting;
import dev.sqlkit.mysql.ServerVersion;
import dev.sqlkit.server.ConfigurationException;

/**
 * The connection pool over the configured database, or over the embedded MariaDB when none is
 * configured. Closing it closes the pool, then stops the embedded database if there is one.
 */
public final class Database implements AutoCloseable {

    /** The database the embedded server's data lives in; created on first start. */
    static final String EMBEDDED_DATABASE = "sqlkit";

    private final HikariDataSource pool;
    private final EmbeddedMariaDb embedded;
    private final String description;

    private Database(HikariDataSource pool, EmbeddedMariaDb embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Opens the pool; for the embedded database, starts it first. Fails with a message naming the
     * setting to fix when the database cannot be reached or TLS cannot be established.
     */
    public static Database open(DatabaseSettings settings) {
        EmbeddedMariaDb embedded = settings.isEmbedded() ? startEmbedded(settings.embeddedDir()) : null;
        MysqlUrl url = embedded != null
                ? embedded.url(EMBEDDED_DATABASE).withDefaults(Map.of("createDatabaseIfNotExist", "true"))
                : settings.url();
        Duration connectTimeout = Duration.ofMillis(Math.max(1000, settings.poolTimeout().toMillis()));
        // The greeting says which server answers, and whether it offers TLS, before a driver is chosen.
        Optional<ServerGreeting> greeting = embedded == null && !url.isMultiHost() && settings.driver() != JdbcDriver.CONNECTOR_J
                ? url.firstAddress().flatMap(address -> ServerGreeting.read(address, connectTimeout)) : Optional.empty();
        JdbcDriver driver = driver(settings, url, embedded, greeting);
        HikariConfig config = HikariPools.config(url, driver, "sqlkit", settings.poolSize(), connectTimeout);
        // Requests wait at most this long for a connection, then get a 503 instead of piling up.
        config.setConnectionTimeout(settings.poolTimeout().toMillis());
        config.setValidationTimeout(Math.min(1000, settings.poolTimeout().toMillis()));
        config.setKeepaliveTime(60_000);
        if (embedded == null && driver == JdbcDriver.CONNECTOR_J) {
            configureConnectorJTls(config, settings);
        } else if (embedded == null) {
            configureMariaDbTls(config, settings, greeting);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (embedded != null) {
                embedded.close();
            }
            String tlsProblem = embedded != null ? null : tlsProblem(e, settings, url);
            throw new ConfigurationException("Cannot connect to the database " + settings.display() + ": "
                    + (tlsProblem != null ? tlsProblem
                    : rootMessage(e) + (embedded != null ? ". See " + embedded.log() + "."
                    : ". Check database.url (DATABASE_URL), database.user and database.password"
                    + (settings.sslMode() != null ? ", and the TLS settings ssl_mode / ssl_ca" : "") + ".")), e);
        }
        String description = describe(pool, settings, embedded, driver);
        return new Database(pool, embedded, description);
    }

    public HikariDataSource dataSource() {
        return pool;
    }

    /** What the server is connected to, for the start-up banner: product, version, URL; no password. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * The embedded MariaDB over {@code dir}, started or failing with the settings that choose another.
     */
    private static EmbeddedMariaDb startEmbedded(Path dir) {
        try {
            return EmbeddedMariaDb.persistent(dir, List.of());
        } catch (MysqlSetupException e) {
            throw new ConfigurationException(e.getMessage() + "\nSet database.embedded.dir (DATABASE_EMBEDDED_DIR) to a"
                    + " writable directory, or database.url (DATABASE_URL) to use another database.", e);
        }
    }

    /**
     * The driver {@code database.driver} names, or else (auto) MariaDB Connector/J for the embedded
     * MariaDB and for a MariaDB server its greeting names ({@link JdbcDriver#forServer}).
     */
    private static JdbcDriver driver(DatabaseSettings settings, MysqlUrl url, EmbeddedMariaDb embedded,
            Optional<ServerGreeting> greeting) {
        if (settings.driver() != null) {
            return settings.driver();
        }
        if (embedded != null) {
            return JdbcDriver.MARIADB_CONNECTOR_J.isAvailable() ? JdbcDriver.MARIADB_CONNECTOR_J : JdbcDriver.CONNECTOR_J;
        }
        return JdbcDriver.forServer(url, greeting);
    }

    private static String describe(HikariDataSource pool, DatabaseSettings settings, EmbeddedMariaDb embedded,
            JdbcDriver driver) {
        try (Connection connection = pool.getConnection()) {
            String version = ServerVersion.of(connection).version();
            return (embedded != null ? "embedded MariaDB " + version + " on 127.0.0.1, data in "
                    + settings.embeddedDir() : version + " at " + settings.display())
                    + " through " + driver
                    + (settings.sslMode() != null ? ", TLS " + settings.sslMode().name().toLowerCase() : "");
        } catch (SQLException e) {
            return settings.display();
        }
    }

    /**
     * Maps ssl_mode / ssl_ca to Connector/J. The driver reads CAs from a key store, not from PEM, so
     * the PEM is turned into a PKCS#12 trust store readable only by this user.
     */
    private static void configureConnectorJTls(HikariConfig config, DatabaseSettings settings) {
        if (settings.sslMode() != null) {
            config.addDataSourceProperty("sslMode", settings.sslMode().name());
        }
        if (settings.sslCa() != null) {
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            Path trustStore = trustStore(settings.sslCa(), password.toCharArray());
            config.addDataSourceProperty("trustCertificateKeyStoreUrl", trustStore.toUri().toString());
            config.addDataSourceProperty("trustCertificateKeyStoreType", "PKCS12");
            config.addDataSourceProperty("trustCertificateKeyStorePassword", password);
        }
    }

    /**
     * Maps ssl_mode / ssl_ca to MariaDB Connector/J, which reads the CA's PEM file itself. It has no
     * "preferred": TLS when offered, else plaintext. So unset and preferred (Connector/J's default) are
     * decided here by the server's greeting: TLS without checking the certificate when it offers TLS,
     * as Connector/J does, else plaintext.
     */
    private static void configureMariaDbTls(HikariConfig config, DatabaseSettings settings, Optional<ServerGreeting> greeting) {
        SslMode mode = settings.sslMode() != null ? settings.sslMode() : SslMode.PREFERRED;
        config.addDataSourceProperty("sslMode", switch (mode) {
            case DISABLED -> "disable";
            case PREFERRED -> greeting.map(ServerGreeting::offersTls).orElse(false) ? "trust" : "disable";
            case REQUIRED -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
        });
        if (settings.sslCa() != null) {
            config.addDataSourceProperty("serverSslCert", settings.sslCa().toString());
        }
    }

    private static Path trustStore(Path pem, char[] password) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigurationException("ssl_ca file " + pem + " holds no certificate; give a PEM file"
                        + " (-----BEGIN CERTIFICATE-----).");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            Path file = Files.createTempFile("sqlkit-ca-", ".p12",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password);
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("ssl_ca file " + pem + " is not a readable PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS failure told in terms of the settings, or null for other failures. The drivers' and the
     * JDK's words ("Path does not chain with any of the trust anchors") are kept, but they name neither
     * the file nor the setting at fault, and each driver has words of its own for the same failure.
     */
    private static String tlsProblem(Throwable error, DatabaseSettings settings, MysqlUrl url) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof CertPathValidatorException invalid && invalid.getReason() == PKIXReason.NO_TRUST_ANCHOR
                    || cause instanceof CertPathBuilderException) {
                return "its TLS certificate is not signed by the CA in ssl_ca / database.ssl.ca (" + settings.sslCa()
                        + "): " + rootMessage(error) + ". Give the PEM file of the CA that signed the database's certificate.";
            }
            // Connector/J (ExportControlled.HostnameChecker) and MariaDB Connector/J (after "(conn=N) ") say so in these words.
            if (settings.sslMode() == SslMode.VERIFY_IDENTITY && (cause instanceof CertificateException
                    && message.startsWith("Server identity verification failed")
                    || message.contains("SSL hostname verification failed"))) {
                return "its TLS certificate does not name the host '"
                        + url.firstAddress().map(InetSocketAddress::getHostString).orElse(url.hosts().get(0)) + "' in database.url: "
                        + rootMessage(error) + ". With ssl_mode verify_identity, connect by a host name the certificate lists.";
            }
            if (settings.sslMode() != null && (message.startsWith("SSL Connection required, but not provided by server")
                    || message.contains("Trying to connect with ssl, but ssl not enabled in the server"))) {
                return "it offers no TLS, and ssl_mode " + settings.sslMode().name().toLowerCase()
                        + " never falls back to plaintext. Enable TLS on the database server, or connect to one that offers it.";
            }
        }
        return null;
    }

    /** The first line of the innermost cause, without a final full stop (the caller's sentence goes on). */
    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // MariaDB Connector/J puts the server's connection id first: "(conn=12) ..."
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse("").replaceFirst("^\\(conn=\\d+\\) ", "")
                .replaceFirst("\\.+$", "");
    }
}
