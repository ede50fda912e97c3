package dev.sqlkit.codegen;

import java.io.File;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.apache.maven.plugin.logging.Log;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.output.MigrateResult;

import dev.sqlkit.mysql.ScratchDatabase;
import dev.sqlkit.mysql.TrueVersionMetadata;

/**
 * Flyway, through its Java API, on the scratch database: the project's migrations from the file
 * system, misnamed files refused, nothing ever cleaned. Flyway's step-by-step INFO lines go to
 * Maven's debug level (visible with {@code -X}); its warnings stay warnings.
 */
final class Migration {

    private Migration() {
    }

    /** Applies every migration in {@code folder}; a failure names the file and Flyway's reason in one line. */
    static MigrateResult apply(ScratchDatabase database, File folder, Log log) throws MigrationFailedException {
        // Flyway re-detects its logger from the configuration ("auto" would find Maven's SLF4J and log
        // at INFO); "maven" is its name for the fallback creator, as flyway-maven-plugin uses it.
        LogFactory.setFallbackLogCreator(type -> new FlywayToMaven(log));
        try {
            return Flyway.configure(Migration.class.getClassLoader())
                    .loggers("maven")
                    .dataSource(new ScratchDataSource(database))
                    .locations("filesystem:" + folder.getAbsolutePath())
                    .validateMigrationNaming(true)
                    .failOnMissingLocations(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new MigrationFailedException(oneLine(e.getMessage()), e);
        }
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
