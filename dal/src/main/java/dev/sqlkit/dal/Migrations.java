package dev.sqlkit.dal;

import static dev.sqlkit.db.DefaultSchema.DEFAULT_SCHEMA;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.jooq.Field;
import org.jooq.Table;

import dev.sqlkit.mysql.TrueVersionMetadata;
import dev.sqlkit.mysql.schema.UndoScripts;

/**
 * The migrations of the {@code sqlkit-schema} jar, run from the classpath: what Diesel's
 * {@code embed_migrations!} does, with Flyway.
 */
public final class Migrations {

    /** Where the schema jar keeps its migrations. */
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {
    }

    /** How long {@link #migrate(DataSource)} waits for another instance's migration. */
    public static final Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(5);

    /**
     * Applies every pending migration to the database of {@code dataSource}, waiting at most
     * {@link #DEFAULT_LOCK_WAIT} for another instance's migration. See {@link #migrate(DataSource, Duration)}.
     */
    public static MigrationReport migrate(DataSource dataSource) {
        return migrate(dataSource, DEFAULT_LOCK_WAIT);
    }

    /**
     * Applies every pending migration to the database of {@code dataSource}. Safe when several
     * instances start at once, on one server or on the nodes of a Galera cluster: one applies the
     * migrations while the others wait for it (logging once that they wait), then find nothing
     * pending. The lock lives in the table {@code sqlkit_migration_lock} (one row, with a lease, so an
     * instance that dies while migrating holds up the others for 30 s at most); it is not part of
     * the schema the migrations make. A database that already has every migration, with nobody
     * migrating it, is told so without the lock or Flyway ({@link UpToDate}): the common start.
     *
     * @param maxWait how long to wait for another instance's migration before failing
     * @throws MigrationWaitException if the lock was not free within {@code maxWait}
     * @throws DalException if a migration fails
     */
    public static MigrationReport migrate(DataSource dataSource, Duration maxWait) {
        Optional<String> current = UpToDate.version(dataSource, LOCATION);
        if (current.isPresent()) {
            return new MigrationReport(List.of(), current.get());
        }
        try (MigrationLock lock = MigrationLock.acquire(dataSource, maxWait)) {
            return migrateUnderLock(dataSource, null);
        }
    }

    private static MigrationReport migrateUnderLock(DataSource dataSource, String target) {
        Undo.requireWhole(dataSource);
        try {
            MigrateResult result = flyway(dataSource, isFirstMigration(dataSource), target).migrate();
            List<String> applied = result.migrations.stream()
                    .map(migration -> migration.version + " " + migration.description)
                    .toList();
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            return new MigrationReport(applied, version);
        } catch (FlywayException e) {
            // A migration that failed half-way is marked failed in the history: say what that means.
            String broken = Undo.broken(dataSource).map(problem -> " " + problem).orElse("");
            throw broken.isEmpty() ? new DalException("migration failed: " + e.getMessage(), e)
                    : new MigrationBrokenException("migration failed: " + e.getMessage() + broken, e);
        }
    }

    /**
     * Where the database stands: its version, every migration (applied, pending, or broken: left
     * half-done by a failed migration or undo) with whether the jar has its undo script, and what
     * was left broken, if anything. Reads only; takes no lock.
     */
    public static MigrationStatus status(DataSource dataSource) {
        Optional<String> broken = Undo.broken(dataSource);
        Flyway flyway = flyway(dataSource);
        List<MigrationStatus.Migration> migrations = new ArrayList<>();
        try {
            for (MigrationInfo info : flyway.info().all()) {
                if (!info.isVersioned() || info.getType().isBaseline()) {
                    continue;
                }
                MigrationState state = info.getState();
                MigrationStatus.State shown = state.isFailed() ? MigrationStatus.State.BROKEN
                        : !state.isResolved() ? MigrationStatus.State.UNKNOWN
                        : state.isApplied() ? MigrationStatus.State.APPLIED
                        : MigrationStatus.State.PENDING;
                migrations.add(new MigrationStatus.Migration(info.getVersion().getVersion(), info.getDescription(),
                        info.getScript(), shown, Undo.hasUndoScript(info),
                        Optional.ofNullable(info.getInstalledOn()).map(java.util.Date::toInstant)));
            }
            return new MigrationStatus(Undo.currentVersion(flyway), migrations, broken);
        } catch (FlywayException e) {
            throw new DalException("cannot read the migration history: " + e.getMessage(), e);
        }
    }

    /**
     * Undoes every applied migration newer than {@code targetVersion} ("0": all of them), newest
     * first, with its undo script ({@code U<n>__x.sql} beside {@code V<n>__x.sql}); each one's row
     * leaves Flyway's history, so {@link #migrate} applies it again. Takes the migration lock, as
     * migrate does. Nothing is undone unless every undo script needed exists.
     *
     * @throws InvalidInputException if no applied migration has {@code targetVersion}
     * @throws MigrationBrokenException if an undo failed half-way (the schema is between two versions;
     *                                  the message says which statement failed and how to repair), or
     *                                  the history already says something was left half-done
     */
    public static RevertReport revert(DataSource dataSource, String targetVersion) {
        return underLock(dataSource, "revert", flyway -> Undo.revert(dataSource, flyway, targetVersion));
    }

    /** Undoes the newest applied migration; see {@link #revert(DataSource, String)}. */
    public static RevertReport revertLast(DataSource dataSource) {
        return underLock(dataSource, "revert", flyway -> {
            List<MigrationInfo> applied = Undo.applied(flyway);
            if (applied.isEmpty()) {
                Undo.requireWhole(dataSource);
                return new RevertReport(List.of(), Undo.currentVersion(flyway));
            }
            return Undo.revert(dataSource, flyway, versionBefore(applied));
        });
    }

    /** The version before the newest applied one: what undoing the newest leaves ("0": nothing). */
    private static String versionBefore(List<MigrationInfo> applied) {
        return applied.size() > 1 ? applied.get(applied.size() - 2).getVersion().getVersion() : "0";
    }

    /** {@code work} on Flyway while this instance holds the migration lock; Flyway's failures as the dal's. */
    private static <T> T underLock(DataSource dataSource, String what, Function<Flyway, T> work) {
        try (MigrationLock lock = MigrationLock.acquire(dataSource, DEFAULT_LOCK_WAIT)) {
            return work.apply(flyway(dataSource));
        } catch (FlywayException e) {
            throw new DalException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Undoes the newest applied migration and applies it again (Diesel's {@code redo}), under one
     * hold of the migration lock: what a developer runs after editing the migration they are
     * writing. Migrations pending before stay pending.
     *
     * @return what was applied again
     */
    public static MigrationReport redo(DataSource dataSource) {
        return underLock(dataSource, "redo", flyway -> {
            List<MigrationInfo> applied = Undo.applied(flyway);
            if (applied.isEmpty()) {
                throw new InvalidInputException("version", "no migration is applied, so there is none to redo");
            }
            MigrationInfo last = applied.get(applied.size() - 1);
            Undo.revert(dataSource, flyway, versionBefore(applied));
            return migrateUnderLock(dataSource, last.getVersion().getVersion());
        });
    }

    /**
     * Records that the schema was made whole by hand after a migration or an undo failed half-way:
     * the failed migration's row leaves the history (the database counts as at the version before
     * it) and migrate and revert work again. Call it only after making the schema what that version
     * makes; nothing checks it.
     *
     * @return the migrations whose failed rows were removed, e.g. {@code "2 V2__relate.sql"}
     */
    public static List<String> repair(DataSource dataSource) {
        try (MigrationLock lock = MigrationLock.acquire(dataSource, DEFAULT_LOCK_WAIT)) {
            return Undo.repair(dataSource);
        }
    }

    /**
     * Checks that the database is exactly what the migrations make: Flyway's history matches the
     * migration files (none pending, none edited after being applied, none missing), and every
     * table and column the generated classes know exists with the same nullability and length,
     * with no extra columns.
     *
     * @throws SchemaDriftException listing every difference found
     */
    public static void validate(DataSource dataSource) {
        Undo.requireWhole(dataSource);
        List<String> problems = new ArrayList<>();
        try {
            ValidateResult result = flyway(dataSource).validateWithResult();
            if (!result.validationSuccessful) {
                for (ValidateOutput invalid : result.invalidMigrations) {
                    problems.add("migration " + (invalid.version.isEmpty() ? invalid.filepath : invalid.version)
                            + " " + invalid.description + ": " + invalid.errorDetails.errorMessage);
                }
                if (problems.isEmpty() && result.errorDetails != null) {
                    problems.add(result.errorDetails.errorMessage);
                }
            }
        } catch (FlywayException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(structuralDifferences(dataSource));
        if (!problems.isEmpty()) {
            throw new SchemaDriftException(problems);
        }
    }

    private static Flyway flyway(DataSource dataSource) {
        return flyway(dataSource, false, null);
    }

    /**
     * @param isFirstMigration the database holds nothing but the migration lock: Flyway, which
     *                         refuses a schema that has tables but no history (so as not to migrate
     *                         someone else's database), is told to start the history at version 0
     *                         and apply every migration. Any other table keeps that refusal.
     */
    private static Flyway flyway(DataSource dataSource, boolean isFirstMigration, String target) {
        // Flyway would call a MariaDB 10.11 "MySQL 5.5" in its log without the true version.
        FluentConfiguration configuration = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(TrueVersionMetadata.of(dataSource))
                .locations(LOCATION)
                .validateMigrationNaming(true)
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .baselineOnMigrate(isFirstMigration)
                .baselineVersion("0")
                .baselineDescription("empty database (only " + MigrationLock.TABLE + ")");
        if (target != null) {
            configuration.target(target);
        }
        // The undo scripts beside the migrations are sqlkit's to run (Undo), never Flyway's.
        return UndoScripts.hiddenFromFlyway(configuration).load();
    }

    /** Whether the database has no objects at all except the migration lock's table (asked under the lock). */
    private static boolean isFirstMigration(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT (SELECT COUNT(*) FROM information_schema.tables
                             WHERE table_schema = DATABASE() AND table_name NOT IN (?, ?))
                          + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = DATABASE())
                          + (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE())
                          + (SELECT COUNT(*) FROM information_schema.events WHERE event_schema = DATABASE())
                     """)) {
            statement.setString(1, MigrationLock.TABLE);
            statement.setString(2, Undo.FAILURE_TABLE);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1) == 0;
            }
        } catch (SQLException e) {
            throw new DalException("cannot read the database's tables: " + e.getMessage(), e);
        }
    }

    private record LiveColumn(boolean isNullable, Long length) {
    }

    private static List<String> structuralDifferences(DataSource dataSource) {
        Map<String, Map<String, LiveColumn>> live = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT table_name, column_name, is_nullable, character_maximum_length
                     FROM information_schema.columns
                     WHERE table_schema = DATABASE()
                     """);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                live.computeIfAbsent(rows.getString(1).toLowerCase(Locale.ROOT), table -> new HashMap<>())
                        .put(rows.getString(2).toLowerCase(Locale.ROOT),
                                new LiveColumn("YES".equals(rows.getString(3)), (Long) rows.getObject(4, Long.class)));
            }
        } catch (SQLException e) {
            throw new DalException("cannot read the database's columns: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Table<?> table : DEFAULT_SCHEMA.getTables()) {
            Map<String, LiveColumn> columns = live.get(table.getName().toLowerCase(Locale.ROOT));
            if (columns == null) {
                problems.add("table " + table.getName() + " is missing");
                continue;
            }
            Set<String> unexpected = new TreeSet<>(columns.keySet());
            for (Field<?> field : table.fields()) {
                String name = field.getName().toLowerCase(Locale.ROOT);
                unexpected.remove(name);
                LiveColumn column = columns.get(name);
                if (column == null) {
                    problems.add("column " + table.getName() + "." + name + " is missing");
                    continue;
                }
                if (column.isNullable() != field.getDataType().nullable()) {
                    problems.add("column " + table.getName() + "." + name + " is "
                            + (column.isNullable() ? "nullable" : "NOT NULL") + ", the migrations make it "
                            + (field.getDataType().nullable() ? "nullable" : "NOT NULL"));
                }
                int length = field.getDataType().length();
                if (length > 0 && !field.getDataType().isLob() && column.length() != null && column.length() != length) {
                    problems.add("column " + table.getName() + "." + name + " holds " + column.length()
                            + " characters, the migrations say " + length);
                }
            }
            for (String extra : unexpected) {
                problems.add("column " + table.getName() + "." + extra + " is not in the migrations");
            }
        }
        return problems;
    }
}
