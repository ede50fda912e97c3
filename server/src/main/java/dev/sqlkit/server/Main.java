package dev.sqlkit.server;

import java.util.List;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import dev.sqlkit.dal.Dal;

/**
 * Starts the server from {@code application.yaml}, overridden by environment variables
 * ({@code DATABASE_URL}, {@code SERVER_PORT}, ...) and system properties. A configuration error
 * stops start-up with a message naming the setting and the fix, and exit code 2.
 *
 * <p>{@code --train} starts as configured, serves a read-only workload to itself and exits: the
 * training run for JDK 25's ahead-of-time cache ({@code java -XX:AOTCacheOutput=sqlkit-server.aot
 * -jar sqlkit-server.jar --train}), which roughly halves the next start's time to ready.
 *
 * <p>{@code db status|migrate|revert [--to <version>]|redo|repair --confirm} runs the migrations
 * against the configured database instead of serving ({@link DbCommand}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("db")) {
            System.setProperty("org.jooq.no-logo", "true");
            System.setProperty("org.jooq.no-tips", "true");
            System.exit(new DbCommand(System.out, System.err).run(List.of(args).subList(1, args.length), Config.create()));
        }
        long started = System.nanoTime();
        boolean train = args.length == 1 && args[0].equals("--train");
        if (args.length > 0 && !train) {
            System.err.println("usage: java [-XX:AOTCache=sqlkit-server.aot] -jar sqlkit-server.jar [--train]\n"
                    + "  settings come from application.yaml, environment variables (DATABASE_URL, SERVER_PORT, ...)"
                    + " and -D system properties; see the README\n" + DbCommand.USAGE.replace("usage: ", "   or: "));
            System.exit(2);
        }
        // jOOQ prints a banner and a "tip of the day" on first use unless told not to.
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // A quarter of a second of class loading that needs no database, on the second core while
        // this one reads the configuration and opens the pool.
        Thread.ofPlatform().daemon().name("sqlkit-dal-preload").start(Dal::preload);
        LogConfig.configureRuntime();
        SqlkitServer server;
        try {
            server = SqlkitServer.start(Config.create());
        } catch (ConfigurationException e) {
            System.err.println("sqlkit server cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (train) {
            try {
                Training.run(server.port(), 300);
            } finally {
                server.close();
            }
            System.out.printf("sqlkit server: training run done in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            // Exiting is what makes the JVM write the cache named by -XX:AOTCacheOutput.
            System.exit(0);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            // Printed rather than logged: JUL resets itself in a shutdown hook of its own, which
            // runs concurrently with this one and would swallow a log record.
            System.out.println("sqlkit server stopped");
        }, "sqlkit-shutdown"));
        System.out.printf("sqlkit server ready in %d ms at http://localhost:%d%n", (System.nanoTime() - started) / 1_000_000,
                server.port());
    }
}
