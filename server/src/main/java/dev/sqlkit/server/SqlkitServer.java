package dev.sqlkit.server;

import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.MigrationReport;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.server.db.Database;
import dev.sqlkit.server.db.DatabaseSettings;
import dev.sqlkit.server.http.Problems;
import dev.sqlkit.server.http.RequestMetrics;
import dev.sqlkit.server.http.WriteAuthorization;

/**
 * The running service: database, dal and web server, started in that order and stopped in the
 * reverse one, so that requests still in flight at shutdown can finish their writes.
 */
public final class SqlkitServer implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SqlkitServer.class.getName());

    private final Database database;
    private final RequestMetrics metrics;
    private final WebServer webServer;
    private final String migrations;
    private final WriteAuthorization writes;

    private SqlkitServer(Database database, RequestMetrics metrics, WebServer webServer, String migrations,
                         WriteAuthorization writes) {
        this.database = database;
        this.metrics = metrics;
        this.webServer = webServer;
        this.migrations = migrations;
        this.writes = writes;
    }

    public WriteAuthorization writes() {
        return writes;
    }

    /** Starts everything from {@code config}; fails with a message naming the setting to fix. */
    public static SqlkitServer start(Config config) {
        WriteAuthorization writes = WriteAuthorization.from(config.get("auth"));
        DatabaseSettings settings = DatabaseSettings.from(config.get("database"));
        Database database = Database.open(settings);
        RequestMetrics metrics = null;
        try {
            String migrations;
            if (settings.migrate()) {
                MigrationReport report = Migrations.migrate(database.dataSource());
                migrations = (report.applied().isEmpty() ? "none pending" : "applied " + String.join(", ", report.applied()))
                        + "; schema version " + report.schemaVersion();
            } else {
                Migrations.validate(database.dataSource());
                migrations = "not run (database.migrate=false); the schema matches them";
            }
            Dal dal = Dal.create(database.dataSource());
            String version = version();
            metrics = new RequestMetrics(Metrics.globalRegistry(), database.dataSource().getHikariPoolMXBean());
            RequestMetrics filter = metrics;
            WebServer webServer = WebServer.builder()
                    .config(config.get("server"))
                    .featuresDiscoverServices(false)
                    .shutdownHook(false)
                    .directHandlers(Problems.directHandlers())
                    .addFeature(ObserveFeature.builder()
                            .addObserver(HealthObserver.builder()
                                    .details(true)
                                    .addCheck(() -> HealthCheckResponse.builder().status(true).build(),
                                            HealthCheckType.LIVENESS, "process")
                                    .addCheck(() -> databaseCheck(database), HealthCheckType.READINESS, "database")
                                    .build())
                            .addObserver(MetricsObserver.create())
                            .build())
                    .addFeature(OpenApiFeature.builder().build())
                    .routing(routing -> Main.routing(routing, dal, version, filter, writes))
                    .build()
                    .start();
            SqlkitServer server = new SqlkitServer(database, metrics, webServer, migrations, writes);
            LOGGER.info("sqlkit server " + version + " listening on http://localhost:" + webServer.port()
                    + "\n  database:   " + database.description()
                    + "\n  migrations: " + migrations
                    + "\n  writes:     " + writes.describe()
                    + "\n  see also:   /openapi, /observe/health, /observe/metrics");
            if (writes.isOpen()) {
                LOGGER.warning("writes are open to anyone: set auth.token (AUTH_TOKEN) to require a bearer token");
            }
            return server;
        } catch (RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            database.close();
            throw e;
        }
    }

    public int port() {
        return webServer.port();
    }

    public String databaseDescription() {
        return database.description();
    }

    public String migrations() {
        return migrations;
    }

    /** Stops accepting requests, lets those in flight finish (server.shutdown-grace-period), then closes the database. */
    @Override
    public void close() {
        try {
            webServer.stop();
        } finally {
            metrics.close();
            database.close();
        }
    }

    private static HealthCheckResponse databaseCheck(Database database) {
        try (var connection = database.dataSource().getConnection()) {
            return HealthCheckResponse.builder().status(connection.isValid(1)).build();
        } catch (Exception e) {
            return HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
        }
    }

    private static String version() {
        String version = SqlkitServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
