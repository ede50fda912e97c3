package dev.sqlkit.dal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import dev.sqlkit.mysql.schema.SqlScript;
import dev.sqlkit.mysql.schema.UndoScripts;

/**
 * Reverting migrations with their undo scripts ({@code U<n>__x.sql} beside {@code V<n>__x.sql} in the
 * schema jar), which Flyway Community does not run: sqlkit runs them statement by statement and keeps
 * Flyway's history true to the schema.
 *
 * <p>MySQL and MariaDB commit every DDL statement on its own, so an undo that fails half-way cannot
 * be rolled back. What must hold: the history never claims a state the schema is not in. So before
 * the first statement, the migration's history row is marked failed ({@code success = 0}); a crash
 * in between leaves it so. Only when every statement succeeded is the row deleted (the migration is
 * then pending, and {@code migrate} applies it again). A failure after the first statement records
 * what was done in {@value #FAILURE_TABLE} and leaves the row failed: from then on migrate, revert
 * and server start-up refuse, naming the fix, until {@link #repair}. A failure at the first statement
 * changed nothing, and the row is restored.
 */
final class Undo {

    /** One row: the undo that failed half-way, and what of it was applied. Not part of the schema. */
    static final String FAILURE_TABLE = "sqlkit_migration_failure";
    static final String HISTORY_TABLE = "flyway_schema_history";
    private static final String REPAIR = "Migrations.repair";

    private Undo() {
    }

    /** Throws {@link MigrationBrokenException} if the history says something was left half-done. */
    static void requireWhole(DataSource dataSource) {
        broken(dataSource).ifPresent(problem -> {
            throw new MigrationBrokenException("refused while the migration history says the schema is not whole: " + problem);
        });
    }

    /** What was left half-done, with the fix, or empty. */
    static Optional<String> broken(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (exists(connection, FAILURE_TABLE)) {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT detail FROM " + FAILURE_TABLE + " WHERE id = 1")) {
                    if (row.next()) {
                        return Optional.of(row.getString(1));
                    }
                }
            }
            if (exists(connection, HISTORY_TABLE)) {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT version, script FROM " + HISTORY_TABLE
                             + " WHERE success = 0 ORDER BY installed_rank DESC LIMIT 1")) {
                    if (row.next()) {
                        return Optional.of("migration " + row.getString(1) + " (" + row.getString(2) + ") is marked failed in"
                                + " the history (" + HISTORY_TABLE + "): a migration, or the undo of one, stopped half-way,"
                                + " and MySQL/MariaDB cannot roll DDL back, so the schema may be between version "
                                + row.getString(1) + " and the one before. Make the schema what the version before it"
                                + " makes (undo the part that was applied, or finish the undo), then record that with "
                                + REPAIR + " (with the server: java -jar sqlkit-server.jar db repair --confirm).");
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new DalException("cannot read the migration history: " + e.getMessage(), e);
        }
    }

    /**
     * Undoes the applied migrations newer than {@code targetVersion}, newest first. Every undo script
     * must exist before anything is undone.
     */
    static RevertReport revert(DataSource dataSource, Flyway flyway, String targetVersion) {
        requireWhole(dataSource);
        List<MigrationInfo> applied = applied(flyway);
        if (!targetVersion.equals("0") && applied.stream().noneMatch(info -> info.getVersion().getVersion().equals(targetVersion))) {
            throw new InvalidInputException("version", "no applied migration has version " + targetVersion + "; applied: "
                    + (applied.isEmpty() ? "none" : String.join(", ", applied.stream().map(info -> info.getVersion().getVersion()).toList()))
                    + " (0 reverts them all)");
        }
        List<MigrationInfo> toRevert = applied.stream()
                .filter(info -> info.getVersion().compareTo(org.flywaydb.core.api.MigrationVersion.fromVersion(targetVersion)) > 0)
                .sorted(Comparator.comparing(MigrationInfo::getVersion).reversed())
                .toList();
        List<String> missing = toRevert.stream().filter(info -> !hasUndoScript(info))
                .map(info -> UndoScripts.undoScriptOf(info.getScript())).toList();
        if (!missing.isEmpty()) {
            throw new DalException("cannot revert to version " + targetVersion + ": no undo script " + String.join(", ", missing)
                    + " in " + Migrations.LOCATION + "; nothing was reverted");
        }
        List<String> reverted = new ArrayList<>();
        for (MigrationInfo info : toRevert) {
            undo(dataSource, info, reverted);
            reverted.add(info.getVersion().getVersion() + " " + info.getDescription());
        }
        return new RevertReport(reverted, currentVersion(flyway));
    }

    /** Records that the schema was made whole by hand: the failed row and the failure record go. */
    static List<String> repair(DataSource dataSource) {
        List<String> repaired = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            if (exists(connection, HISTORY_TABLE)) {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT version, script FROM " + HISTORY_TABLE + " WHERE success = 0")) {
                    while (rows.next()) {
                        repaired.add(rows.getString(1) + " " + rows.getString(2));
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("DELETE FROM " + HISTORY_TABLE + " WHERE success = 0");
                }
            }
            if (exists(connection, FAILURE_TABLE)) {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("DROP TABLE " + FAILURE_TABLE);
                }
            }
        } catch (SQLException e) {
            throw new DalException("cannot repair the migration history: " + e.getMessage(), e);
        }
        return repaired;
    }

    static List<MigrationInfo> applied(Flyway flyway) {
        List<MigrationInfo> applied = new ArrayList<>();
        for (MigrationInfo info : flyway.info().applied()) {
            if (info.isVersioned() && !info.getType().isBaseline() && !info.getState().isFailed()) {
                applied.add(info);
            }
        }
        return applied;
    }

    /** The newest migration applied in full ("0" for none): one marked failed does not count. */
    static String currentVersion(Flyway flyway) {
        List<MigrationInfo> applied = applied(flyway);
        return applied.isEmpty() ? "0" : applied.stream().max(Comparator.comparing(MigrationInfo::getVersion))
                .orElseThrow().getVersion().getVersion();
    }

    /** Whether the jar has an undo script for {@code info}: a lookup, the script is not read. */
    static boolean hasUndoScript(MigrationInfo info) {
        return Undo.class.getClassLoader().getResource(undoResource(info)) != null;
    }

    private static String undoResource(MigrationInfo info) {
        return Migrations.LOCATION.substring("classpath:".length()) + "/" + UndoScripts.undoScriptOf(info.getScript());
    }

    /** The undo script's text for {@code info}, or null when the jar has none. */
    private static String undoScript(MigrationInfo info) {
        String resource = undoResource(info);
        try (InputStream in = Undo.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DalException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    private static void undo(DataSource dataSource, MigrationInfo info, List<String> revertedBefore) {
        String version = info.getVersion().getVersion();
        String undoName = UndoScripts.undoScriptOf(info.getScript());
        List<SqlScript.Statement> statements = SqlScript.statements(undoScript(info));
        try (Connection connection = dataSource.getConnection()) {
            setSuccess(connection, version, false);
            for (SqlScript.Statement statement : statements) {
                try (Statement jdbc = connection.createStatement()) {
                    jdbc.execute(statement.sql());
                } catch (SQLException e) {
                    String alreadyReverted = revertedBefore.isEmpty() ? ""
                            : " (already reverted by this command: " + String.join(", ", revertedBefore) + ")";
                    if (statement.number() == 1) {
                        setSuccess(connection, version, true);
                        throw new DalException("undo " + undoName + " failed at its first statement (line " + statement.line()
                                + ": " + statement.firstLine() + "): " + e.getMessage() + ". Nothing of it was applied:"
                                + " the database is still at version " + version + alreadyReverted + ".", e);
                    }
                    String detail = "the undo " + undoName + " failed at statement " + statement.number() + " of "
                            + statements.size() + " (line " + statement.line() + ": " + statement.firstLine() + "): "
                            + e.getMessage() + ". Statements 1 to " + (statement.number() - 1) + " were applied, and"
                            + " MySQL/MariaDB cannot roll DDL back: the schema is between version " + version
                            + " and the one before" + alreadyReverted + ". Migration " + version + " stays marked failed in"
                            + " the history; migrate and revert are refused until the schema is whole. Finish the undo by hand"
                            + " (statements " + statement.number() + " to " + statements.size() + " of " + undoName
                            + ", from line " + statement.line() + "), then record it with " + REPAIR
                            + " (with the server: java -jar sqlkit-server.jar db repair --confirm).";
                    recordFailure(connection, version, detail);
                    throw new MigrationBrokenException(detail, e);
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + HISTORY_TABLE + " WHERE version = ?")) {
                delete.setString(1, version);
                delete.executeUpdate();
            }
        } catch (SQLException e) {
            throw new DalException("reverting " + info.getScript() + " failed: " + e.getMessage()
                    + "; check the state with Migrations.status", e);
        }
    }

    private static void setSuccess(Connection connection, String version, boolean isSuccess) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + HISTORY_TABLE + " SET success = ? WHERE version = ?")) {
            update.setBoolean(1, isSuccess);
            update.setString(2, version);
            update.executeUpdate();
        }
    }

    private static void recordFailure(Connection connection, String version, String detail) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // A primary key, as Galera needs one to replicate rows; the CHECK keeps it to one row.
            statement.execute("CREATE TABLE IF NOT EXISTS " + FAILURE_TABLE + " ("
                    + " id TINYINT NOT NULL PRIMARY KEY CHECK (id = 1),"
                    + " version VARCHAR(50) NOT NULL,"
                    + " detail TEXT NOT NULL,"
                    + " failed_at DATETIME(6) NOT NULL)");
        }
        try (PreparedStatement insert = connection.prepareStatement("REPLACE INTO " + FAILURE_TABLE
                + " (id, version, detail, failed_at) VALUES (1, ?, ?, UTC_TIMESTAMP(6))")) {
            insert.setString(1, version);
            insert.setString(2, detail);
            insert.executeUpdate();
        }
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }
}
