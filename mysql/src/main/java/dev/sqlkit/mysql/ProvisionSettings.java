package dev.sqlkit.mysql;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a database should come from.
 *
 * @param url          an explicit server to use, or {@code null} to provision one
 * @param urlSource    where {@code url} was read from, named in messages (e.g. {@code SQLKIT_DB_URL})
 * @param user         the user for {@code url}, or {@code null} to take it from the URL
 * @param password     the password for {@code url}, or {@code null} to take it from the URL
 * @param mysqlImage   the image Testcontainers runs when a Docker engine is reachable
 * @param embeddedHome a directory that caches the unpacked embedded MariaDB between builds
 * @param workDir      a directory owned by the caller, for the embedded server's data
 */
public record ProvisionSettings(String url, String urlSource, String user, String password, String mysqlImage,
        Path embeddedHome, Path workDir) {

    /** The JDBC URL of an existing MySQL-family server: system property, then environment. */
    public static final String URL_PROPERTY = "sqlkit.db.url";
    public static final String URL_ENV = "SQLKIT_DB_URL";
    public static final String USER_PROPERTY = "sqlkit.db.user";
    public static final String USER_ENV = "SQLKIT_DB_USER";
    public static final String PASSWORD_PROPERTY = "sqlkit.db.password";
    public static final String PASSWORD_ENV = "SQLKIT_DB_PASSWORD";
    public static final String DEFAULT_MYSQL_IMAGE = "mysql:8.4";

    /**
     * Settings read from properties (e.g. {@code System::getProperty}, or Maven's view of them),
     * falling back to the environment, with blank values treated as absent.
     */
    public static ProvisionSettings from(UnaryOperator<String> properties, Path workDir) {
        String url = firstNonBlank(properties.apply(URL_PROPERTY), System.getenv(URL_ENV));
        String source = url == null ? null
                : nonBlank(properties.apply(URL_PROPERTY)) != null ? "-D" + URL_PROPERTY : URL_ENV;
        return new ProvisionSettings(url, source,
                firstNonBlank(properties.apply(USER_PROPERTY), System.getenv(USER_ENV)),
                firstNonNull(properties.apply(PASSWORD_PROPERTY), System.getenv(PASSWORD_ENV)),
                DEFAULT_MYSQL_IMAGE, defaultEmbeddedHome(), workDir);
    }

    /** {@code $XDG_CACHE_HOME/sqlkit}, else {@code ~/.cache/sqlkit}. */
    public static Path defaultEmbeddedHome() {
        String xdg = nonBlank(System.getenv("XDG_CACHE_HOME"));
        Path cache = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("sqlkit");
    }

    public ProvisionSettings withMysqlImage(String image) {
        return new ProvisionSettings(url, urlSource, user, password, image, embeddedHome, workDir);
    }

    Optional<String> explicitUrl() {
        return Optional.ofNullable(url);
    }

    private static String firstNonBlank(String first, String second) {
        return nonBlank(first) != null ? first.strip() : nonBlank(second);
    }

    private static String firstNonNull(String first, String second) {
        return first != null ? first : second;
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
