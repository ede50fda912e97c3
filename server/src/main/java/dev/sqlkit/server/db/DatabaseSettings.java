package dev.sqlkit.server.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.helidon.config.Config;

import dev.sqlkit.dal.DalOptions;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.mysql.JdbcDriver;
import dev.sqlkit.mysql.MysqlSetupException;
import dev.sqlkit.mysql.MysqlUrl;
import dev.sqlkit.server.ConfigurationException;

/**
 * The {@code database} configuration, validated as a whole before anything connects.
 *
 * <p>{@code database.url} (environment {@code DATABASE_URL}) takes either a JDBC URL
 * ({@code jdbc:mysql://host:3306/db}) or the form the replaced services used:
 * {@code mysql://user:pass@host:3306/db?ssl_mode=verify_identity&ssl_ca=/etc/ssl/ca.pem}; either may
 * list several hosts ({@code host1:3306,host2:3306}), which Connector/J tries in order.
 * Without a URL the server runs an embedded MariaDB whose data lives in {@code database.embedded.dir}.
 *
 * @param url         the database, with the credentials of {@code database.user} / {@code .password}
 *                    or else the URL's, without the TLS options; {@code null} for the embedded database
 * @param sslMode     TLS mode, {@code null} for the driver's default
 * @param sslCa       PEM file of the CA that signed the server's certificate, or {@code null}
 * @param poolSize    maximum connections ({@code database.pool.size})
 * @param poolTimeout how long a request waits for a connection before failing with 503
 *                    ({@code database.pool.timeout})
 * @param migrate     run the schema jar's migrations at start-up ({@code database.migrate})
 * @param migrationWait how long start-up waits for another instance's migration before failing
 *                    ({@code database.migration.wait})
 * @param idempotencyTtl how long a write's Idempotency-Key is kept and its repeats answered
 *                    ({@code database.idempotency.ttl})
 * @param embeddedDir where the embedded MariaDB keeps its data ({@code database.embedded.dir})
 * @param driver      the JDBC driver ({@code database.driver}), or {@code null} for the faster one that
 *                    serves the database as configured ({@code auto}, see {@link Database#open})
 */
public record DatabaseSettings(MysqlUrl url, SslMode sslMode, Path sslCa, int poolSize, Duration poolTimeout,
        boolean migrate, Duration migrationWait, Duration idempotencyTtl, Path embeddedDir, JdbcDriver driver) {

    private static final String URL_SETTING = "database.url (DATABASE_URL)";

    public boolean isEmbedded() {
        return url == null;
    }

    /** The JDBC URL without credentials, or {@code null} for the embedded database. */
    public String jdbcUrl() {
        return url == null ? null : url.jdbcUrl();
    }

    public String user() {
        return url == null ? null : url.user();
    }

    /** Never printed. */
    public String password() {
        return url == null ? null : url.password();
    }

    /** The URL as it may be shown: the JDBC URL, or where the embedded data lives. Never a password. */
    public String display() {
        return isEmbedded() ? "embedded MariaDB, data in " + embeddedDir : url.toString();
    }

    public static DatabaseSettings from(Config database) {
        String text = database.get("url").asString().filter(value -> !value.isBlank()).orElse(null);
        MysqlUrl given = text == null ? null : parseUrl(text);
        MysqlUrl url = null;
        if (given != null) {
            String user = database.get("user").asString().filter(value -> !value.isBlank()).orElse(given.user());
            String password = database.get("password").asString().orElse(given.password());
            // ssl_mode and ssl_ca are this server's settings, not Connector/J's: they become its sslMode etc.
            url = given.withCredentials(user, password).without("ssl_mode", "ssl_ca");
        }
        String sslModeText = database.get("ssl.mode").asString()
                .orElse(given == null ? null : given.parameter("ssl_mode").orElse(null));
        SslMode sslMode = sslModeText == null ? null
                : SslMode.parse(database.get("ssl.mode").exists() ? "database.ssl.mode" : "ssl_mode in database.url", sslModeText);
        String sslCaText = database.get("ssl.ca").asString()
                .orElse(given == null ? null : given.parameter("ssl_ca").orElse(null));
        Path sslCa = sslCaText == null ? null : Path.of(sslCaText);
        if (sslCa != null && sslMode == null) {
            // As with MySQL's own clients: a CA without a mode means "verify against it", never
            // the driver's default, which would accept any certificate or none.
            sslMode = SslMode.VERIFY_CA;
        }
        if (sslCa != null && !Files.isReadable(sslCa)) {
            throw new ConfigurationException("ssl_ca / database.ssl.ca names " + sslCa
                    + ", which is not a readable file. Give the PEM file of the CA that signed the database's certificate.");
        }
        if (sslMode != null && sslMode.isVerifying() && sslCa == null) {
            throw new ConfigurationException("ssl_mode " + sslMode.name().toLowerCase() + " needs the CA to verify against:"
                    + " add ssl_ca=/path/to/ca.pem to database.url or set database.ssl.ca (DATABASE_SSL_CA).");
        }
        if (url == null && sslMode != null) {
            throw new ConfigurationException("database.ssl.mode is set but database.url is not; TLS settings apply to a"
                    + " configured database, not to the embedded one.");
        }
        int poolSize = database.get("pool.size").asInt().orElse(16);
        if (poolSize < 1 || poolSize > 1000) {
            throw new ConfigurationException("database.pool.size (DATABASE_POOL_SIZE) is " + poolSize + "; use 1 to 1000.");
        }
        Duration poolTimeout = duration(database.get("pool.timeout"), Duration.ofSeconds(3));
        if (poolTimeout.toMillis() < 250) {
            throw new ConfigurationException("database.pool.timeout (DATABASE_POOL_TIMEOUT) is " + poolTimeout
                    + "; use at least PT0.25S (the pool cannot wait less than 250 ms).");
        }
        boolean migrate = database.get("migrate").asBoolean().orElse(true);
        Duration migrationWait = duration(database.get("migration.wait"), Migrations.DEFAULT_LOCK_WAIT);
        if (migrationWait.isNegative()) {
            throw new ConfigurationException("database.migration.wait (DATABASE_MIGRATION_WAIT) is " + migrationWait
                    + "; use PT0S (never wait) or more, e.g. PT5M.");
        }
        Duration idempotencyTtl = duration(database.get("idempotency.ttl"), DalOptions.DEFAULT_IDEMPOTENCY_TTL);
        if (idempotencyTtl.toSeconds() < 1) {
            throw new ConfigurationException("database.idempotency.ttl (DATABASE_IDEMPOTENCY_TTL) is " + idempotencyTtl
                    + "; keep keys at least PT1S, and longer than clients retry (the default is PT24H).");
        }
        Path embeddedDir = database.get("embedded.dir").asString().filter(value -> !value.isBlank())
                .map(Path::of).orElseGet(DatabaseSettings::defaultEmbeddedDir);
        JdbcDriver driver = driver(database.get("driver").asString().orElse("auto"));
        if (driver == JdbcDriver.MARIADB_CONNECTOR_J && url != null && url.isMultiHost()) {
            throw new ConfigurationException("database.driver (DATABASE_DRIVER) is mariadb, but database.url lists "
                    + url.hosts().size() + " hosts; their fail-over is Connector/J's: set database.driver to auto or connector-j.");
        }
        return new DatabaseSettings(url, sslMode, sslCa, poolSize, poolTimeout, migrate, migrationWait, idempotencyTtl,
                embeddedDir.toAbsolutePath(), driver);
    }

    private static JdbcDriver driver(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "connector-j", "mysql" -> JdbcDriver.CONNECTOR_J;
            case "mariadb" -> JdbcDriver.MARIADB_CONNECTOR_J;
            default -> throw new ConfigurationException("database.driver (DATABASE_DRIVER) is '" + text
                    + "'; use auto (MariaDB Connector/J for a MariaDB server, else Connector/J), connector-j or mariadb.");
        };
    }

    private static MysqlUrl parseUrl(String text) {
        try {
            return MysqlUrl.parse(text, URL_SETTING);
        } catch (MysqlSetupException e) {
            throw new ConfigurationException(e.getMessage() + ". Leave it unset to run the embedded MariaDB.", e);
        }
    }

    private static Duration duration(Config node, Duration fallback) {
        if (!node.exists()) {
            return fallback;
        }
        String text = node.asString().get().strip();
        try {
            return text.matches("\\d+") ? Duration.ofMillis(Long.parseLong(text)) : Duration.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigurationException(node.key() + " is '" + text + "'; give milliseconds (3000) or an ISO-8601"
                    + " duration (PT3S).");
        }
    }

    /** {@code $XDG_DATA_HOME/sqlkit/mariadb}, else {@code ~/.local/share/sqlkit/mariadb}. */
    static Path defaultEmbeddedDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return data.resolve("sqlkit").resolve("mariadb");
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + display() + ", sslMode=" + sslMode + ", poolSize=" + poolSize
                + ", driver=" + (driver == null ? "auto" : driver) + "]";
    }
}
