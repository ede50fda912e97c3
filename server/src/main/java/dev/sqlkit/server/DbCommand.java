package dev.sqlkit.server;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.config.Config;

import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.MigrationReport;
import dev.sqlkit.dal.MigrationStatus;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.dal.RevertReport;
import dev.sqlkit.server.db.Database;
import dev.sqlkit.server.db.DatabaseSettings;

/**
 * {@code java -jar sqlkit-server.jar db <command>}: the schema jar's migrations against the database
 * the server is configured for ({@code DATABASE_URL}, or the embedded database's data directory), as
 * Diesel's {@code migration} commands do: {@code status}, {@code migrate}, {@code revert [--to <version>]},
 * {@code redo}, and {@code repair --confirm} after a migration or an undo failed half-way. Each is
 * the dal's {@link Migrations} operation of the same name, under the same cluster-wide lock.
 *
 * <p>Exit codes: 0 done, 1 the operation failed (the message says what state the schema is in),
 * 2 wrong usage or configuration.
 */
final class DbCommand {

    static final String USAGE = """
            usage: java -jar sqlkit-server.jar db <command>
              status                 the schema version, and each migration: applied, pending or broken, and whether it has an undo script
              migrate                apply the pending migrations
              revert [--to <version>] undo the newest migration, or every one newer than <version> (0: all), with their undo scripts
              redo                   undo the newest migration and apply it again
              repair --confirm       after a migration or an undo failed half-way and you made the schema whole by hand:
                                     record it (the failed migration counts as not applied)
              the database is the server's: DATABASE_URL (database.url), else the embedded MariaDB in DATABASE_EMBEDDED_DIR""";

    private static final DateTimeFormatter APPLIED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Held, so that the logger (and the level set on it) is not garbage-collected. */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private final PrintStream out;
    private final PrintStream err;

    DbCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs {@code arguments} (what follows {@code db}) with {@code config}; returns the exit code. */
    int run(List<String> arguments, Config config) {
        if (arguments.isEmpty() || !isValid(arguments)) {
            err.println(USAGE);
            return 2;
        }
        String command = arguments.get(0);
        if (command.equals("repair") && !arguments.contains("--confirm")) {
            err.println("db repair changes the migration history without looking at the schema. First make the schema what"
                    + " the version before the failed migration makes (db status names it; the failure message says which"
                    + " statements were applied), then run: db repair --confirm");
            return 2;
        }
        // Flyway's and the pool's step-by-step lines would bury what the command prints; warnings stay.
        ROOT_LOGGER.setLevel(Level.WARNING);
        Database database;
        try {
            database = Database.open(DatabaseSettings.from(config.get("database")));
        } catch (ConfigurationException e) {
            err.println("sqlkit db: " + e.getMessage());
            return 2;
        }
        try (database) {
            out.println("database: " + database.description());
            switch (command) {
                case "status" -> printStatus(Migrations.status(database.dataSource()));
                case "migrate" -> {
                    MigrationReport report = Migrations.migrate(database.dataSource());
                    out.println(report.applied().isEmpty() ? "nothing pending; schema version " + report.schemaVersion()
                            : "applied " + String.join(", ", report.applied()) + "; schema version " + report.schemaVersion());
                }
                case "revert" -> {
                    int to = arguments.indexOf("--to");
                    RevertReport report = to < 0 ? Migrations.revertLast(database.dataSource())
                            : Migrations.revert(database.dataSource(), arguments.get(to + 1));
                    out.println(report.reverted().isEmpty() ? "nothing to revert; schema version " + report.schemaVersion()
                            : "reverted " + String.join(", ", report.reverted()) + "; schema version " + report.schemaVersion());
                }
                case "redo" -> {
                    MigrationReport report = Migrations.redo(database.dataSource());
                    out.println("reverted and applied again: " + String.join(", ", report.applied()) + "; schema version "
                            + report.schemaVersion());
                }
                case "repair" -> {
                    List<String> repaired = Migrations.repair(database.dataSource());
                    MigrationStatus status = Migrations.status(database.dataSource());
                    out.println((repaired.isEmpty() ? "nothing was marked failed" : "removed the failed history row of "
                            + String.join(", ", repaired)) + "; schema version " + status.schemaVersion()
                            + (status.pending().isEmpty() ? "" : "; pending: " + status.pending().size() + " (db migrate applies them)"));
                }
                default -> throw new IllegalStateException(command);
            }
            return 0;
        } catch (DalException e) {
            err.println("sqlkit db " + command + ": " + e.getMessage());
            return 1;
        }
    }

    private void printStatus(MigrationStatus status) {
        out.println("schema version: " + status.schemaVersion());
        out.printf("  %-8s %-8s %-5s %-20s %s%n", "version", "state", "undo", "applied at (UTC)", "migration");
        for (MigrationStatus.Migration migration : status.migrations()) {
            out.printf("  %-8s %-8s %-5s %-20s %s%n", migration.version(), migration.state().name().toLowerCase(),
                    migration.hasUndo() ? "yes" : "no", migration.appliedAt().map(APPLIED_AT::format).orElse("-"),
                    migration.script());
        }
        out.println(status.pending().isEmpty() ? "nothing pending" : status.pending().size() + " pending (db migrate applies them)");
        status.broken().ifPresent(problem -> out.println("BROKEN: " + problem));
    }

    private static boolean isValid(List<String> arguments) {
        return switch (arguments.get(0)) {
            case "status", "migrate", "redo" -> arguments.size() == 1;
            case "revert" -> arguments.size() == 1 || arguments.size() == 3 && arguments.get(1).equals("--to")
                    && arguments.get(2).matches("\\d+([._]\\d+)*");
            case "repair" -> arguments.size() == 1 || arguments.size() == 2 && arguments.get(1).equals("--confirm");
            default -> false;
        };
    }
}
