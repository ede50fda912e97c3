package dev.sqlkit.server.db;

import dev.sqlkit.server.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.config.Config;

/**
 * The {@code database} configuration, validated as a whole before anything connects.
 *
 * <p>{@code database.url} (environment {@code DATABASE_URL}) takes either a JDBC URL
 * ({@code jdbc:mysql://host:3306/db}) or the form the replaced services used:
 * {@code mysql://user:pass@host:3306/db?ssl_mode=verify_identity&ssl_ca=/etc/ssl/ca.pem}.
 * Without a URL the server runs an embedded MariaDB whose data lives in {@code database.embedded.dir}.
 *
 * @param jdbcUrl     JDBC URL without credentials, or {@code null} for the embedded database
 * @param user        database user ({@code database.user}, or the URL's)
 * @param password    database password ({@code database.password}, or the URL's); never printed
 * @param sslMode     TLS mode, {@code null} for the driver's default
 * @param sslCa       PEM file of the CA that signed the server's certificate, or {@code null}
 * @param poolSize    maximum connections ({@code database.pool.size})
 * @param poolTimeout how long a request waits for a connection before failing with 503
 *                    ({@code database.pool.timeout})
 * @param migrate     run the schema jar's migrations at start-up ({@code database.migrate})
 * @param embeddedDir where the embedded MariaDB keeps its data ({@code database.embedded.dir})
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, SslMode sslMode, Path sslCa,
        int poolSize, Duration poolTimeout, boolean migrate, Path embeddedDir) {

    public boolean isEmbedded() {
        return jdbcUrl == null;
    }

    /** The URL as it may be shown: the JDBC URL, or where the embedded data lives. Never a password. */
    public String display() {
        return isEmbedded() ? "embedded MariaDB, data in " + embeddedDir : jdbcUrl + (user != null ? " as " + user : "");
    }

    public static DatabaseSettings from(Config database) {
        String url = database.get("url").asString().filter(value -> !value.isBlank()).map(String::strip).orElse(null);
        String user = database.get("user").asString().filter(value -> !value.isBlank()).orElse(null);
        String password = database.get("password").asString().orElse(null);
        Map<String, String> urlOptions = new LinkedHashMap<>();
        String jdbcUrl = null;
        if (url != null) {
            if (url.startsWith("mysql://") || url.startsWith("mariadb://")) {
                ParsedUrl parsed = ParsedUrl.parse(url);
                jdbcUrl = parsed.jdbcUrl();
                urlOptions.putAll(parsed.options());
                user = user != null ? user : parsed.user();
                password = password != null ? password : parsed.password();
            } else if (url.startsWith("jdbc:mysql://")) {
                jdbcUrl = url;
            } else {
                throw new ConfigurationException("database.url (DATABASE_URL) must start with jdbc:mysql:// or mysql://,"
                        + " e.g. mysql://user:password@host:3306/db?ssl_mode=verify_identity&ssl_ca=/path/ca.pem;"
                        + " leave it unset to run the embedded MariaDB.");
            }
        }
        String sslModeText = database.get("ssl.mode").asString().orElse(urlOptions.get("ssl_mode"));
        SslMode sslMode = sslModeText == null ? null
                : SslMode.parse(database.get("ssl.mode").exists() ? "database.ssl.mode" : "ssl_mode in database.url", sslModeText);
        String sslCaText = database.get("ssl.ca").asString().orElse(urlOptions.get("ssl_ca"));
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
        if (jdbcUrl == null && sslMode != null) {
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
        Path embeddedDir = database.get("embedded.dir").asString().filter(value -> !value.isBlank())
                .map(Path::of).orElseGet(DatabaseSettings::defaultEmbeddedDir);
        return new DatabaseSettings(jdbcUrl, user, password, sslMode, sslCa, poolSize, poolTimeout, migrate,
                embeddedDir.toAbsolutePath());
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
        return "DatabaseSettings[" + display() + ", sslMode=" + sslMode + ", poolSize=" + poolSize + "]";
    }

    /** The parts of a {@code mysql://user:pass@host:port/db?options} URL. */
    record ParsedUrl(String jdbcUrl, String user, String password, Map<String, String> options) {

        static ParsedUrl parse(String url) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new ConfigurationException("database.url (DATABASE_URL) is not a valid URL: " + e.getReason()
                        + ". Percent-encode special characters in the password (e.g. @ as %40).");
            }
            if (uri.getHost() == null) {
                throw new ConfigurationException("database.url (DATABASE_URL) has no host; expected"
                        + " mysql://user:password@host:3306/database");
            }
            String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (database.isEmpty()) {
                throw new ConfigurationException("database.url (DATABASE_URL) names no database; expected"
                        + " mysql://user:password@host:3306/database");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] userInfo = uri.getRawUserInfo().split(":", 2);
                user = decode(userInfo[0]);
                password = userInfo.length > 1 ? decode(userInfo[1]) : null;
            }
            Map<String, String> options = new LinkedHashMap<>();
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    if (!pair.isEmpty()) {
                        int equals = pair.indexOf('=');
                        options.put(decode(equals < 0 ? pair : pair.substring(0, equals)),
                                equals < 0 ? "" : decode(pair.substring(equals + 1)));
                    }
                }
            }
            int port = uri.getPort() < 0 ? 3306 : uri.getPort();
            String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
            return new ParsedUrl("jdbc:mysql://" + host + ":" + port + "/" + database, user, password, options);
        }

        private static String decode(String text) {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }
}
