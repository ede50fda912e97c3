package dev.sqlkit.codegen;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.LambdaConverter;
import org.jooq.meta.jaxb.Property;
import org.jooq.meta.jaxb.Logging;
import org.jooq.meta.jaxb.Target;
import org.jooq.util.jaxb.tools.MiniJAXB;

import dev.sqlkit.mysql.ServerVersion;

/**
 * The configuration handed to jOOQ's code generator: sqlkit's conventions, with the project's own
 * {@code <generator>} (jOOQ's type, as jooq-codegen-maven takes it) laid over them.
 *
 * <p>Conventions: {@code Boolean} for {@code TINYINT(1)}, {@code java.time.Instant} (UTC) for
 * {@code DATETIME}, Java enums for {@code ENUM}, records but no POJOs or DAOs, no schema name in the
 * code (the scratch database's name must not end up there), Flyway's history table left out, and no
 * generation date or jOOQ version in the files, so identical migrations give identical bytes.
 *
 * <p>The overlay is jOOQ's own {@link MiniJAXB#append}: a value the project sets wins, lists are
 * joined. A project's forced types come before sqlkit's, because jOOQ applies the first that
 * matches. What sqlkit decides itself (the connection, the input schema, the reader matching the
 * server) is refused when a project sets it, with the reason.
 */
final class JooqSettings {

    static final String HISTORY_TABLE = "flyway_schema_history";

    private JooqSettings() {
    }

    /**
     * The project's effective configuration, before the server is known: what the fingerprint
     * covers and what {@link #forServer} completes.
     *
     * @param overrides   the project's {@code <generator>}, or {@code null}
     * @param packageName the project's {@code <packageName>}, or {@code null} for jOOQ's default
     * @param directory   where the sources go
     */
    static Configuration of(Generator overrides, String packageName, File directory, File basedir) {
        Generator given = overrides != null ? overrides : new Generator();
        checkNotSet(given, directory, basedir, packageName);
        List<ForcedType> projectForcedTypes = given.getDatabase() != null
                ? new ArrayList<>(given.getDatabase().getForcedTypes()) : List.of();
        String projectExcludes = given.getDatabase() != null ? given.getDatabase().getExcludes() : null;

        Generator merged = MiniJAXB.append(defaults(), given);
        Database database = merged.getDatabase();
        List<ForcedType> forcedTypes = new ArrayList<>(projectForcedTypes);
        forcedTypes.addAll(defaultForcedTypes());
        database.setForcedTypes(forcedTypes);
        database.setExcludes(projectExcludes == null || projectExcludes.isBlank()
                ? HISTORY_TABLE : "(" + projectExcludes + ")|" + HISTORY_TABLE);
        Target target = merged.getTarget();
        target.setDirectory(directory.getAbsolutePath());
        if (packageName != null && !packageName.isBlank()) {
            target.setPackageName(packageName.strip());
        }
        return new Configuration()
                .withLogging(Logging.WARN)
                .withBasedir(basedir.getAbsolutePath())
                .withGenerator(merged);
    }

    /** {@code configuration}, reading {@code schema} with the jOOQ reader that matches {@code server}. */
    static Configuration forServer(Configuration configuration, ServerVersion server, String schema) {
        // jOOQ's MySQL reader misreads MariaDB's column defaults (it would generate the literal
        // 'USER', quotes included), so the reader follows the server actually provisioned.
        configuration.getGenerator().getDatabase()
                .withName(server.isMariaDb() ? "org.jooq.meta.mariadb.MariaDBDatabase" : "org.jooq.meta.mysql.MySQLDatabase")
                .withInputSchema(schema);
        return configuration;
    }

    /**
     * {@code configuration}, reading the committed schema file with jOOQ's DDLDatabase (which
     * interprets the {@code CREATE TABLE} statements) instead of a database. Names keep the lower
     * case a MySQL server reports, and the tables land in the default schema, as from a database.
     */
    static Configuration forSchemaFile(Configuration configuration, File schemaFile) {
        configuration.getGenerator().getDatabase()
                .withName("org.jooq.meta.extensions.ddl.DDLDatabase")
                .withProperties(
                        new Property().withKey("scripts").withValue(schemaFile.getAbsolutePath()),
                        new Property().withKey("sort").withValue("none"),
                        new Property().withKey("unqualifiedSchema").withValue("none"),
                        new Property().withKey("defaultNameCase").withValue("lower"));
        // DDLDatabase interprets the file on an in-memory H2, which calls DATETIME TIMESTAMP: the
        // convention's Instant must follow it there (in this fallback, TIMESTAMP columns are Instants too).
        configuration.getGenerator().getDatabase().getForcedTypes().add(new ForcedType()
                .withUserType("java.time.Instant")
                .withLambdaConverter(new LambdaConverter()
                        .withFrom("value -> value.toInstant(java.time.ZoneOffset.UTC)")
                        .withTo("value -> java.time.LocalDateTime.ofInstant(value, java.time.ZoneOffset.UTC)"))
                .withIncludeTypes("(?i:TIMESTAMP(\\(\\d\\))?)"));
        return configuration;
    }

    private static Generator defaults() {
        return new Generator()
                .withName("org.jooq.codegen.JavaGenerator")
                .withDatabase(new Database()
                        // Unqualified tables work against whatever schema a connection uses at run time.
                        .withOutputSchemaToDefault(true))
                .withGenerate(new Generate()
                        .withJavaTimeTypes(true)
                        .withRecords(true)
                        .withPojos(false)
                        .withDaos(false)
                        .withGeneratedAnnotation(false))
                .withTarget(new Target());
    }

    private static List<ForcedType> defaultForcedTypes() {
        return List.of(
                // MySQL's BOOLEAN is TINYINT(1); without this it would be generated as Byte.
                new ForcedType()
                        .withName("BOOLEAN")
                        .withIncludeTypes("(?i:TINYINT\\(1\\))"),
                // DATETIME columns hold UTC (sessions run in UTC), so they are instants in Java
                // rather than zone-less LocalDateTimes.
                new ForcedType()
                        .withUserType("java.time.Instant")
                        .withLambdaConverter(new LambdaConverter()
                                .withFrom("value -> value.toInstant(java.time.ZoneOffset.UTC)")
                                .withTo("value -> java.time.LocalDateTime.ofInstant(value, java.time.ZoneOffset.UTC)"))
                        .withIncludeTypes("(?i:DATETIME(\\(\\d\\))?)"));
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static void checkNotSet(Generator given, File directory, File basedir, String packageName) {
        Database database = given.getDatabase();
        if (database != null) {
            if (isSet(database.getName())) {
                throw new IllegalArgumentException("<generator><database><name> is chosen by sqlkit: the jOOQ reader"
                        + " matching the server it provisions (MariaDBDatabase or MySQLDatabase). Remove it.");
            }
            if (isSet(database.getInputSchema()) || !database.getSchemata().isEmpty()) {
                throw new IllegalArgumentException("<generator><database><inputSchema>/<schemata> are chosen by sqlkit:"
                        + " it generates from the scratch database it migrates. Remove them.");
            }
        }
        Target target = given.getTarget();
        Target unset = new Target(); // jOOQ's defaults: a value equal to one is indistinguishable from none
        if (target != null && target.getDirectory() != null && !target.getDirectory().equals(unset.getDirectory())) {
            File theirs = new File(target.getDirectory());
            File resolved = theirs.isAbsolute() ? theirs : new File(basedir, target.getDirectory());
            if (!resolved.getAbsoluteFile().toPath().normalize().equals(directory.getAbsoluteFile().toPath().normalize())) {
                throw new IllegalArgumentException("<generator><target><directory> (" + target.getDirectory()
                        + ") differs from the plugin's <directory> (" + directory + "): set <directory> (property"
                        + " sqlkit.codegen.directory) instead, which also tells the compiler and the up-to-date"
                        + " check where the sources are.");
            }
        }
        if (target != null && target.getPackageName() != null && packageName != null
                && !target.getPackageName().equals(unset.getPackageName())
                && !target.getPackageName().equals(packageName.strip())) {
            throw new IllegalArgumentException("<packageName> (" + packageName + ") and <generator><target><packageName> ("
                    + target.getPackageName() + ") differ: set only <packageName>.");
        }
    }
}
