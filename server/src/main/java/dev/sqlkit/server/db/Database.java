package dev.sqlkit.server.db;

import dev.sqlkit.server.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.HexFormat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

/**
 * The connection pool over the configured database, or over the embedded MariaDB when none is
 * configured. Closing it closes the pool, then stops the embedded database if there is one.
 */
public final class Database implements AutoCloseable {

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
        EmbeddedMariaDb embedded = settings.isEmbedded() ? EmbeddedMariaDb.start(settings.embeddedDir()) : null;
        String jdbcUrl = embedded != null ? embedded.jdbcUrl() : settings.jdbcUrl();
        HikariConfig config = new HikariConfig();
        config.setPoolName("sqlkit");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(embedded != null ? "root" : settings.user());
        config.setPassword(embedded != null ? "" : settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(settings.poolSize());
        // Requests wait at most this long for a connection, then get a 503 instead of piling up.
        config.setConnectionTimeout(settings.poolTimeout().toMillis());
        config.setValidationTimeout(Math.min(1000, settings.poolTimeout().toMillis()));
        config.setKeepaliveTime(60_000);
        // Stored timestamps are UTC (see Dal). A numeric offset works without time zone tables.
        config.setConnectionInitSql("SET time_zone = '+00:00'");
        // The usual Connector/J settings for a pooled service: statements cached per connection,
        // no round trips for state the driver already knows.
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "250");
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        config.addDataSourceProperty("useLocalSessionState", "true");
        config.addDataSourceProperty("cacheServerConfiguration", "true");
        config.addDataSourceProperty("elideSetAutoCommits", "true");
        config.addDataSourceProperty("maintainTimeStats", "false");
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1000, settings.poolTimeout().toMillis())));
        // A connection whose peer vanished without closing it would otherwise block its request
        // forever; every query here takes milliseconds, so 30 s means the network is gone.
        config.addDataSourceProperty("socketTimeout", "30000");
        if (embedded == null) {
            configureTls(config, settings);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (embedded != null) {
                embedded.close();
            }
            String tlsProblem = embedded != null ? null : tlsProblem(e, settings);
            throw new ConfigurationException("Cannot connect to the database " + settings.display() + ": "
                    + (tlsProblem != null ? tlsProblem
                    : rootMessage(e) + (embedded != null ? ". See " + settings.embeddedDir().resolve("mariadb.log") + "."
                    : ". Check database.url (DATABASE_URL), database.user and database.password"
                    + (settings.sslMode() != null ? ", and the TLS settings ssl_mode / ssl_ca" : "") + ".")), e);
        }
        String description = describe(pool, settings, embedded);
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

    private static String describe(HikariDataSource pool, DatabaseSettings settings, EmbeddedMariaDb embedded) {
        try (Connection connection = pool.getConnection()) {
            String version = connection.getMetaData().getDatabaseProductVersion().replaceFirst("^5\\.5\\.5-", "");
            return (embedded != null ? "embedded MariaDB " + version + " on 127.0.0.1, data in "
                    + settings.embeddedDir() : version + " at " + settings.display())
                    + (settings.sslMode() != null ? ", TLS " + settings.sslMode().name().toLowerCase() : "");
        } catch (SQLException e) {
            return settings.display();
        }
    }

    /**
     * Maps ssl_mode / ssl_ca to Connector/J. The driver reads CAs from a key store, not from PEM, so
     * the PEM is turned into a PKCS#12 trust store readable only by this user.
     */
    private static void configureTls(HikariConfig config, DatabaseSettings settings) {
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
     * A rejected certificate told in terms of the settings, or null for other failures. The JDK's words
     * ("Path does not chain with any of the trust anchors") are kept, but they name neither the file nor
     * the setting at fault.
     */
    private static String tlsProblem(Throwable error, DatabaseSettings settings) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertPathValidatorException invalid && invalid.getReason() == PKIXReason.NO_TRUST_ANCHOR
                    || cause instanceof CertPathBuilderException) {
                return "its TLS certificate is not signed by the CA in ssl_ca / database.ssl.ca (" + settings.sslCa()
                        + "): " + rootMessage(error) + ". Give the PEM file of the CA that signed the database's certificate.";
            }
            // Connector/J's host name check (ExportControlled.HostnameChecker) says so in these words.
            if (settings.sslMode() == SslMode.VERIFY_IDENTITY && cause instanceof CertificateException
                    && String.valueOf(cause.getMessage()).startsWith("Server identity verification failed")) {
                return "its TLS certificate does not name the host in database.url: " + rootMessage(error)
                        + ". With ssl_mode verify_identity, connect by a host name the certificate lists.";
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
        return String.valueOf(cause.getMessage()).lines().findFirst().orElse("").replaceFirst("\\.+$", "");
    }
}
