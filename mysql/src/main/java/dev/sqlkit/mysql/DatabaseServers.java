package dev.sqlkit.mysql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            if (Containers.isDockerAvailable()) {
                DatabaseServer server = Containers.mysql(settings.mysqlImage());
                log.accept("Database: " + server.description() + " (no " + ProvisionSettings.URL_ENV
                        + " given; Docker engine found via " + dockerHint + ")");
                return server;
            }
            log.accept("Docker hint " + dockerHint + " found, but no Docker engine answers; not using Testcontainers.");
        }
        DatabaseServer server = embedded(settings);
        log.accept("Database: " + server.description() + " (no " + ProvisionSettings.URL_ENV
                + " / -D" + ProvisionSettings.URL_PROPERTY + " given and no Docker engine found)");
        return server;
    }

    /** The server named by the settings' URL, checked by connecting to it once. */
    static DatabaseServer explicit(ProvisionSettings settings) {
        MysqlUrl given = MysqlUrl.parse(settings.url(), settings.urlSource());
        MysqlUrl url = given.withCredentials(settings.user() != null ? settings.user() : given.user(),
                settings.password() != null ? settings.password() : given.password());
        try (Connection connection = ConnectorJ.connect(url, Duration.ofSeconds(10))) {
            ServerVersion version = ServerVersion.of(connection);
            String product = (version.isMariaDb() ? "MariaDB " : "MySQL ") + version.major() + "." + version.minor();
            return new DatabaseServer(DatabaseServer.Kind.EXPLICIT_URL, version,
                    product + " at " + url + " (version " + version.version() + ")", url, () -> { });
        } catch (SQLException e) {
            throw new MysqlSetupException("Cannot connect to the database given by " + settings.urlSource()
                    + ": " + MysqlUrl.mask(settings.url()) + " (" + e.getMessage().lines().findFirst().orElse("") + "). "
                    + "Fix the URL or start that server; or unset " + ProvisionSettings.URL_ENV + " and -D"
                    + ProvisionSettings.URL_PROPERTY + " to build against Testcontainers MySQL (where Docker"
                    + " runs) or an embedded MariaDB. Credentials go in the URL (?user=...&password=...) or in "
                    + ProvisionSettings.USER_ENV + " / " + ProvisionSettings.PASSWORD_ENV + ".", e);
        }
    }

    private static DatabaseServer embedded(ProvisionSettings settings) {
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.throwAway(settings.embeddedHome(), settings.workDir());
        return new DatabaseServer(DatabaseServer.Kind.EMBEDDED_MARIADB,
                new ServerVersion(ServerVersion.Flavor.MARIADB, mariaDb.version() + "-MariaDB"),
                "embedded MariaDB " + mariaDb.version() + " at " + mariaDb.url("").jdbcUrl(), mariaDb.url(""), mariaDb);
    }

    /**
     * Testcontainers, apart so that its classes are loaded only where a Docker engine may exist: the
     * dependency is optional, and callers on machines without Docker need not have it.
     */
    private static final class Containers {

        static boolean isDockerAvailable() {
            return DockerClientFactory.instance().isDockerAvailable();
        }

        static DatabaseServer mysql(String image) {
            MySQLContainer container = new MySQLContainer(DockerImageName.parse(image))
                    .withUsername("root")
                    .withPassword("sqlkit")
                    .withDatabaseName("sqlkit");
            container.start();
            MysqlUrl url = new MysqlUrl(List.of(container.getHost() + ":" + container.getMappedPort(MySQLContainer.MYSQL_PORT)),
                    "", Map.of(), "root", "sqlkit");
            return new DatabaseServer(DatabaseServer.Kind.TESTCONTAINERS_MYSQL,
                    new ServerVersion(ServerVersion.Flavor.MYSQL, image.replaceFirst("^.*:", "")),
                    "Testcontainers " + image + " at " + url.jdbcUrl(), url, container::stop);
        }
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
