package dev.sqlkit.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServer;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.DalOptions;
import dev.sqlkit.dal.MigrationBrokenException;
import dev.sqlkit.dal.MigrationReport;
import dev.sqlkit.dal.MigrationWaitException;
import dev.sqlkit.dal.UnavailableException;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.server.db.Database;
import dev.sqlkit.server.db.DatabaseSettings;
import dev.sqlkit.server.db.IdempotencyKeyPurge;
import dev.sqlkit.server.http.Api;
import dev.sqlkit.server.http.LingeringClose;
import dev.sqlkit.server.http.OnceMappers;
import dev.sqlkit.server.http.Problems;
import dev.sqlkit.server.http.WriteAuthorization;
import dev.sqlkit.server.observe.Observe;
import dev.sqlkit.server.observe.PoolMetrics;
import dev.sqlkit.server.observe.RetryMetrics;

/**
 * The running service: database, dal and web server, started in that order and stopped in the
 * reverse one, so that requests still in flight at shutdown can finish their writes. The routes
 * are {@link Api#routing}'s; this class only assembles and orders.
 */
public final class SqlkitServer implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SqlkitServer.class.getName());

    private final Database database;
    private final PoolMetrics poolMetrics;
    private final RetryMetrics retryMetrics;
    private final IdempotencyKeyPurge purge;
    private final WebServer webServer;
    private final String migrations;

    private SqlkitServer(Database database, PoolMetrics poolMetrics, RetryMetrics retryMetrics, IdempotencyKeyPurge purge,
                         WebServer webServer, String migrations) {
        this.database = database;
        this.poolMetrics = poolMetrics;
        this.retryMetrics = retryMetrics;
        this.purge = purge;
        this.webServer = webServer;
        this.migrations = migrations;
    }

    /** Starts everything from {@code config}; fails with a message naming the setting to fix. */
    public static SqlkitServer start(Config config) {
        WriteAuthorization writes = WriteAuthorization.from(config.get("auth"));
        DatabaseSettings settings = DatabaseSettings.from(config.get("database"));
        // Helidon's service registry (first used by OnceMappers.install: 0.2 s) and the metrics
        // registry, which loads and links a few hundred classes (Micrometer, Prometheus; 0.2 s), are
        // built on another core while the pool opens and the migrations run; joined before the web
        // server is built, the first to use either.
        CompletableFuture<MeterRegistry> registry = CompletableFuture.supplyAsync(() -> {
            OnceMappers.install();
            return Metrics.globalRegistry();
        }, task -> Thread.ofPlatform().daemon().name("sqlkit-helidon-init").start(task));
        Database database = Database.open(settings);
        PoolMetrics poolMetrics = null;
        RetryMetrics retryMetrics = null;
        IdempotencyKeyPurge purge = null;
        try {
            String migrations = migrate(database.dataSource(), settings);
            retryMetrics = new RetryMetrics(join(registry));
            Dal dal = dal(database, DalOptions.defaults()
                    .withConnectionLimit(settings.poolSize(), settings.poolTimeout())
                    .withRetryListener(retryMetrics)
                    .withIdempotencyTtl(settings.idempotencyTtl()));
            purge = IdempotencyKeyPurge.start(dal);
            String version = version();
            poolMetrics = new PoolMetrics(join(registry), database.dataSource().getHikariPoolMXBean());
            WebServer webServer = WebServer.builder()
                    .config(config.get("server"))
                    .featuresDiscoverServices(false)
                    .shutdownHook(false)
                    .directHandlers(Problems.directHandlers())
                    .addConnectionSelector(LingeringClose.selector(config.get("server")))
                    .addFeature(Observe.feature(database.dataSource()))
                    .addFeature(OpenApiFeature.builder().build())
                    .routing(routing -> Api.routing(routing, dal, version, writes,
                            config.get("server.access-log").asBoolean().orElse(false)))
                    .build()
                    .start();
            SqlkitServer server = new SqlkitServer(database, poolMetrics, retryMetrics, purge, webServer, migrations);
            LOGGER.info("sqlkit server " + version + " listening on http://localhost:" + webServer.port()
                    + "\n  database:   " + database.description()
                    + "\n  migrations: " + migrations
                    + "\n  writes:     " + writes.describe()
                    + "\n  see also:   /docs (the API page), /openapi, /observe/health, /observe/metrics");
            if (writes.isOpen()) {
                LOGGER.warning("writes are open to anyone: set auth.token (AUTH_TOKEN) to require a bearer token");
            }
            return server;
        } catch (RuntimeException e) {
            if (purge != null) {
                purge.close();
            }
            if (poolMetrics != null) {
                poolMetrics.close();
            }
            if (retryMetrics != null) {
                retryMetrics.close();
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

    /** What start-up did to the schema, as the banner says it. */
    public String migrations() {
        return migrations;
    }

    /** Stops accepting requests, lets those in flight finish (server.shutdown-grace-period), then closes the database. */
    @Override
    public void close() {
        purge.close(); // a background task: nothing waits for it
        try {
            webServer.stop();
        } finally {
            poolMetrics.close();
            retryMetrics.close();
            database.close();
        }
    }

    /**
     * The dal over the pool. What it refuses about the database itself (sessions not in UTC, a lax
     * sql_mode, a Galera node without causal reads) is the deployment's to fix, so it stops
     * start-up like any other misconfiguration: a message with the fix, exit code 2, no stack trace.
     */
    private static Dal dal(Database database, DalOptions options) {
        try {
            return Dal.create(database.dataSource(), options);
        } catch (UnavailableException e) {
            throw e;
        } catch (DalException e) {
            throw new ConfigurationException("the database at " + database.description() + " does not suit the dal: "
                    + e.getMessage(), e);
        }
    }

    /** The registry, or what building it threw, as it would have been thrown on this thread. */
    private static MeterRegistry join(CompletableFuture<MeterRegistry> registry) {
        try {
            return registry.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Applies pending migrations; with database.migrate=false, only checks that the schema is what they make. */
    private static String migrate(DataSource dataSource, DatabaseSettings settings) {
        MigrationReport report;
        try {
            if (!settings.migrate()) {
                Migrations.validate(dataSource);
                return "not run (database.migrate=false); the schema matches them";
            }
            report = Migrations.migrate(dataSource, settings.migrationWait());
        } catch (MigrationBrokenException e) {
            // Serving on a schema that may be between two versions would fail requests in ways no
            // one could explain; the message names the fix, with this jar's command for it.
            throw new ConfigurationException(e.getMessage(), e);
        } catch (MigrationWaitException e) {
            throw new ConfigurationException(e.getMessage() + "; for this server that wait is database.migration.wait (DATABASE_MIGRATION_WAIT), now "
                    + settings.migrationWait(), e);
        }
        return (report.applied().isEmpty() ? "none pending" : "applied " + String.join(", ", report.applied()))
                + "; schema version " + report.schemaVersion();
    }

    private static String version() {
        String version = SqlkitServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
