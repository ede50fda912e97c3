package dev.sqlkit.codegen.provision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/** Chooses and starts the server that scratch databases are created on. */
public final class DatabaseServers {

    private DatabaseServers() {
    }

    /**
     * Starts (or connects to) a server, logging one line that says which was chosen and why:
     * <ol>
     * <li>the explicit URL of {@code settings}, when given: if it cannot be reached this fails
     * naming the URL (password masked); it never falls back to anything else;</li>
     * <li>Testcontainers MySQL, when a Docker engine is reachable;</li>
     * <li>an embedded MariaDB, started in-process.</li>
     * </ol>
     */
    public static DatabaseServer start(ProvisionSettings settings, Consumer<String> log) {
        if (settings.explicitUrl().isPresent()) {
            DatabaseServer server = explicit(settings);
            log.accept("Database: " + server.description() + " (given by " + settings.urlSource() + ")");
            return server;
        }
        String dockerHint = DockerProbe.hint();
        if (dockerHint != null) {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                DatabaseServer server = container(settings.mysqlImage());
                log.accept("Database: " + server.description() + " (no " + ProvisionSettings.URL_ENV
                        + " given; Docker engine found via " + dockerHint + ")");
                return server;
            }
            log.accept("Docker hint " + dockerHint + " found, but no Docker engine answers; not using Testcontainers.");
        }
        DatabaseServer server = EmbeddedMariaDb.start(settings.embeddedHome(), settings.workDir());
        log.accept("Database: " + server.description() + " (no " + ProvisionSettings.URL_ENV
                + " / -D" + ProvisionSettings.URL_PROPERTY + " given and no Docker engine found)");
        return server;
    }

    /** The server named by the settings' URL, checked by connecting to it once. */
    static DatabaseServer explicit(ProvisionSettings settings) {
        String given = settings.url();
        String user = settings.user() != null ? settings.user()
                : JdbcUrls.parameter(given, "user").orElse(null);
        String password = settings.password() != null ? settings.password()
                : JdbcUrls.parameter(given, "password").orElse(null);
        // Credentials travel beside the URL, never inside it, so that the URL can be logged.
        String url = JdbcUrls.withoutParameters(given, "user", "password");
        String masked = JdbcUrls.mask(given);
        DatabaseServer server = new DatabaseServer(DatabaseServer.Kind.EXPLICIT_URL, DatabaseServer.Flavor.MYSQL,
                "MySQL-family server at " + JdbcUrls.mask(url) + (user != null ? " as " + user : ""),
                url, user, password, () -> { });
        try (Connection connection = server.connect("")) {
            String version = connection.getMetaData().getDatabaseProductVersion();
            return new DatabaseServer(DatabaseServer.Kind.EXPLICIT_URL, DatabaseServer.Flavor.ofVersion(version),
                    server.description() + " (version " + version + ")", url, user, password, () -> { });
        } catch (SQLException e) {
            throw new ProvisioningException("Cannot connect to the database given by " + settings.urlSource()
                    + ": " + masked + " (" + e.getMessage().lines().findFirst().orElse("") + "). "
                    + "Fix the URL or start that server; or unset " + ProvisionSettings.URL_ENV + " and -D"
                    + ProvisionSettings.URL_PROPERTY + " to build against Testcontainers MySQL (where Docker"
                    + " runs) or an embedded MariaDB. Credentials go in the URL (?user=...&password=...) or in "
                    + ProvisionSettings.USER_ENV + " / " + ProvisionSettings.PASSWORD_ENV + ".", e);
        }
    }

    private static DatabaseServer container(String image) {
        MySQLContainer container = new MySQLContainer(DockerImageName.parse(image))
                .withUsername("root")
                .withPassword("sqlkit")
                .withDatabaseName("sqlkit");
        container.start();
        String url = "jdbc:mysql://" + container.getHost() + ":" + container.getMappedPort(MySQLContainer.MYSQL_PORT) + "/";
        return new DatabaseServer(DatabaseServer.Kind.TESTCONTAINERS_MYSQL, DatabaseServer.Flavor.MYSQL,
                "Testcontainers " + image + " at " + url, url, "root", "sqlkit", container::stop);
    }

    /**
     * Cheap signs that a Docker engine may exist, checked before Testcontainers is asked: its own
     * probing logs errors at length when there is no engine, which is the normal case on machines
     * that build with the embedded database.
     */
    static final class DockerProbe {

        private DockerProbe() {
        }

        static String hint() {
            if (System.getenv("DOCKER_HOST") != null) {
                return "DOCKER_HOST";
            }
            String home = System.getProperty("user.home");
            Path testcontainersProperties = Path.of(home, ".testcontainers.properties");
            if (Files.isRegularFile(testcontainersProperties)) {
                return testcontainersProperties.toString();
            }
            String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
            List<Path> sockets = new java.util.ArrayList<>(List.of(
                    Path.of("/var/run/docker.sock"),
                    Path.of(home, ".docker/run/docker.sock"),
                    Path.of(home, ".docker/desktop/docker.sock"),
                    Path.of(home, ".colima/default/docker.sock"),
                    Path.of(home, ".rd/docker.sock")));
            if (runtimeDir != null) {
                sockets.add(Path.of(runtimeDir, "docker.sock"));
                sockets.add(Path.of(runtimeDir, "podman/podman.sock"));
            }
            return sockets.stream().filter(Files::exists).map(Path::toString).findFirst().orElse(null);
        }
    }
}
