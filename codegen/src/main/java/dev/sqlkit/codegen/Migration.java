package dev.sqlkit.codegen;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.maven.plugin.logging.Log;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.output.MigrateResult;

import dev.sqlkit.mysql.ScratchDatabase;
import dev.sqlkit.mysql.TrueVersionMetadata;
import dev.sqlkit.mysql.schema.SchemaSnapshot;
import dev.sqlkit.mysql.schema.SqlScript;
import dev.sqlkit.mysql.schema.UndoScripts;

/**
 * Flyway, through its Java API, on the scratch database: the project's migrations from the file
 * system, misnamed files refused, nothing ever cleaned, undo scripts run by sqlkit (never by
 * Flyway) and checked. Flyway's step-by-step INFO lines go to
 * Maven's debug level (visible with {@code -X}); its warnings stay warnings.
 */
final class Migration {

    private Migration() {
    }

    /**
     * What {@link #applyCheckingUndos} did: how many migrations it applied, the version reached, the
     * undo scripts it verified, the migrations that have none, and the schema it left.
     */
    record Outcome(int applied, String schemaVersion, List<String> verifiedUndos, List<String> withoutUndo,
                   SchemaSnapshot schema) {
    }

    /**
     * Applies every migration in {@code folder}, one version at a time, and checks each undo script
     * on the way: for {@code V<n>} with a {@code U<n>} beside it, the schema after {@code V<n>} then
     * {@code U<n>} must equal the schema before {@code V<n>}, and {@code V<n>} applied once more must
     * give the schema it gave the first time. Between the two, {@code V<n>}'s row is deleted from
     * Flyway's history, as {@code db revert} does. A failure names the file and Flyway's reason in one
     * line; a wrong undo names the script and every difference.
     */
    static Outcome applyCheckingUndos(ScratchDatabase database, File folder, Log log)
            throws MigrationFailedException, UndoCheckFailedException {
        // Flyway re-detects its logger from the configuration ("auto" would find Maven's SLF4J and log
        // at INFO); "maven" is its name for the fallback creator, as flyway-maven-plugin uses it.
        LogFactory.setFallbackLogCreator(type -> new FlywayToMaven(log));
        List<String> verified = new ArrayList<>();
        List<String> withoutUndo = new ArrayList<>();
        int applied = 0;
        try {
            SchemaSnapshot before = snapshot(database);
            for (MigrationInfo migration : flyway(database, folder, null).info().pending()) {
                if (migration.getVersion() == null) {
                    continue; // repeatable migrations: applied by the final migrate below
                }
                String version = migration.getVersion().getVersion();
                applied += flyway(database, folder, version).migrate().migrationsExecuted;
                SchemaSnapshot after = snapshot(database);
                Path undo = folder.toPath().resolve(UndoScripts.undoScriptOf(migration.getScript()));
                if (!Files.isRegularFile(undo)) {
                    withoutUndo.add(migration.getScript());
                    before = after;
                    continue;
                }
                String undoName = folder.toPath().relativize(undo).toString();
                runUndo(database, undo, undoName);
                List<String> notUndone = snapshot(database).differencesFrom(before);
                if (!notUndone.isEmpty()) {
                    throw new UndoCheckFailedException(undoName + " does not undo " + migration.getScript()
                            + ": after both, the schema differs from the one before " + migration.getScript()
                            + differences(notUndone));
                }
                forget(database, version);
                flyway(database, folder, version).migrate();
                SchemaSnapshot redone = snapshot(database);
                List<String> notRedone = redone.differencesFrom(after);
                if (!notRedone.isEmpty()) {
                    throw new UndoCheckFailedException(migration.getScript() + " applied again after " + undoName
                            + " gives another schema than the first time" + differences(notRedone));
                }
                verified.add(undoName);
                before = redone;
            }
            MigrateResult last = flyway(database, folder, null).migrate();
            applied += last.migrationsExecuted;
            String version = last.targetSchemaVersion != null ? last.targetSchemaVersion : last.initialSchemaVersion;
            return new Outcome(applied, version, verified, withoutUndo, snapshot(database));
        } catch (FlywayException e) {
            throw new MigrationFailedException(oneLine(e.getMessage()), e);
        } catch (SQLException e) {
            throw new MigrationFailedException("cannot read the scratch database " + database.name() + ": " + e.getMessage(), e);
        }
    }

    private static Flyway flyway(ScratchDatabase database, File folder, String target) {
        FluentConfiguration configuration = Flyway.configure(Migration.class.getClassLoader())
                .loggers("maven")
                .dataSource(new ScratchDataSource(database))
                .locations("filesystem:" + folder.getAbsolutePath())
                .validateMigrationNaming(true)
                .failOnMissingLocations(true)
                .cleanDisabled(true);
        if (target != null) {
            configuration.target(target);
        }
        return UndoScripts.hiddenFromFlyway(configuration).load();
    }

    private static SchemaSnapshot snapshot(ScratchDatabase database) throws SQLException {
        try (Connection connection = TrueVersionMetadata.of(database.connect())) {
            return SchemaSnapshot.of(connection);
        }
    }

    private static void runUndo(ScratchDatabase database, Path undo, String undoName) throws UndoCheckFailedException {
        List<SqlScript.Statement> statements;
        try {
            statements = SqlScript.statements(Files.readString(undo, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UndoCheckFailedException("cannot read " + undoName + ": " + e.getMessage());
        }
        try (Connection connection = database.connect(); Statement jdbc = connection.createStatement()) {
            for (SqlScript.Statement statement : statements) {
                try {
                    jdbc.execute(statement.sql());
                } catch (SQLException e) {
                    throw new UndoCheckFailedException(undoName + " failed at statement " + statement.number() + " (line "
                            + statement.line() + ": " + statement.firstLine() + "): " + e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw new UndoCheckFailedException("cannot connect to the scratch database " + database.name() + ": " + e.getMessage());
        }
    }

    /** Deletes {@code version}'s row from Flyway's history: the migration counts as not applied. */
    private static void forget(ScratchDatabase database, String version) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM flyway_schema_history WHERE version = ?")) {
            delete.setString(1, version);
            delete.executeUpdate();
        }
    }

    private static String differences(List<String> differences) {
        return ":\n    - " + String.join("\n    - ", differences);
    }

    /**
     * Flyway's report of a failed migration is a table ({@code Migration V5__x.sql failed},
     * {@code Message : ...}, {@code Location : ...}, {@code Line : ...}); this keeps what a reader needs.
     */
    static String oneLine(String flywayMessage) {
        String message = String.valueOf(flywayMessage);
        String headline = message.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(message);
        String reason = field(message, "Message");
        String location = field(message, "Location");
        String line = field(message, "Line");
        StringBuilder result = new StringBuilder(headline);
        if (reason != null) {
            result.append(": ").append(reason);
        }
        if (location != null) {
            result.append(" (").append(location.replaceFirst(" \\(.*\\)$", ""));
            result.append(line != null ? ", line " + line : "").append(')');
        }
        return result.toString();
    }

    private static String field(String message, String name) {
        return message.lines()
                .filter(line -> line.matches("^" + name + "\\s*:.*"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst().orElse(null);
    }

    /** An undo script failed, or does not restore the schema before its migration. */
    static final class UndoCheckFailedException extends Exception {
        UndoCheckFailedException(String message) {
            super(message);
        }
    }

    /** A migration (or Flyway's validation of the files) failed. */
    static final class MigrationFailedException extends Exception {
        MigrationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Connections to the scratch database; the metadata names a MariaDB as MariaDB (not "MySQL 5.5"). */
    private record ScratchDataSource(ScratchDatabase database) implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            return TrueVersionMetadata.of(database.connect());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private record FlywayToMaven(Log log) implements org.flywaydb.core.api.logging.Log {

        @Override
        public boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }

        @Override
        public void debug(String message) {
            log.debug("flyway: " + message);
        }

        @Override
        public void info(String message) {
            log.debug("flyway: " + message);
        }

        @Override
        public void warn(String message) {
            log.warn("flyway: " + message);
        }

        // Flyway's errors end in the FlywayException that apply() turns into the build's one-line
        // failure; logged as well, they would say the same thing twice.
        @Override
        public void error(String message) {
            log.debug("flyway: " + message);
        }

        @Override
        public void error(String message, Exception e) {
            log.debug("flyway: " + message, e);
        }

        @Override
        public void notice(String message) {
            log.debug("flyway: " + message);
        }
    }
}
