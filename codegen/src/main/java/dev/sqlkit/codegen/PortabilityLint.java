package dev.sqlkit.codegen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.flywaydb.core.api.MigrationVersion;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Meta;
import org.jooq.Param;
import org.jooq.Queries;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.QOM;

import dev.sqlkit.mysql.schema.SqlScript;
import dev.sqlkit.mysql.schema.UndoScripts;

/**
 * Checks migrations against the SQL both MySQL 8.0+ and MariaDB 10.11+ accept, with jOOQ's parser
 * (not patterns over the text): each statement is parsed, and DDL is applied to jOOQ's in-memory
 * model of the schema ({@link Meta#apply}), so {@code CREATE TABLE}, {@code ALTER TABLE ... ADD} and
 * {@code MODIFY} are judged on the columns they leave behind. The rules (README, "Adding a
 * migration"): no JSON or UUID column types, no explicit collations, no {@code RETURNING}, no
 * expression defaults other than {@code CURRENT_TIMESTAMP}. The {@link Profile#VITESS} profile also
 * refuses what PlanetScale/Vitess refuse or warn about: foreign keys (unless the database has them
 * enabled) and tables without a primary key.
 *
 * <p>jOOQ's parser does not read every MySQL statement (e.g. {@code ALTER TABLE t ADD COLUMN c INT,
 * ADD INDEX i (c)}); such a statement is reported as not linted rather than failing the build.
 */
final class PortabilityLint {

    /**
     * The .sql files under {@code folder}, subfolders included (as Flyway reads a location), in the
     * order Flyway applies them (its own version ordering), each undo script right after its
     * migration, other files last: so the lint's model of the schema is the one each statement meets.
     */
    static List<Path> inApplyOrder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> path.getFileName().toString().endsWith(".sql"))
                    .sorted(Comparator.comparing(PortabilityLint::version, Comparator.nullsLast(Comparator.naturalOrder()))
                            .thenComparing(path -> path.getFileName().toString().startsWith("U"))
                            .thenComparing(path -> path.getFileName().toString()))
                    .toList();
        }
    }

    /** V1_2__x.sql and U1_2__x.sql: 1.2; null for repeatable and other files. */
    private static MigrationVersion version(Path file) {
        String name = file.getFileName().toString();
        int separator = name.indexOf("__");
        boolean isVersioned = separator >= 2 && (name.startsWith("V") || name.startsWith("U"));
        return isVersioned ? MigrationVersion.fromVersion(name.substring(1, separator)) : null;
    }

    /** Which servers the migrations must run on. */
    enum Profile {
        /** MySQL 8.0+ and MariaDB 10.11+. */
        PORTABLE,
        /** Also PlanetScale / Vitess. */
        VITESS;

        static Profile of(String name) {
            for (Profile profile : values()) {
                if (profile.name().equalsIgnoreCase(name.strip())) {
                    return profile;
                }
            }
            throw new IllegalArgumentException("<lint> (property sqlkit.lint) is '" + name + "'; it is one of portable"
                    + " (MySQL 8.0+ and MariaDB 10.11+, the default) or vitess (also PlanetScale/Vitess)");
        }
    }

    /** A rule broken at {@code file:line}. */
    record Finding(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /**
     * What the lint found: rules broken, statements jOOQ's parser could not read, and how many it
     * checked. Statements that only failed to apply because an earlier one could not be read are
     * not listed (they follow from it).
     */
    record Result(List<Finding> findings, List<Finding> notLinted, int checked) {
    }

    private final Profile profile;
    private final boolean isForeignKeyAllowed;
    private final DSLContext dsl = DSL.using(SQLDialect.MYSQL, new Settings().withParseDialect(SQLDialect.MYSQL));

    PortabilityLint(Profile profile, boolean isForeignKeyAllowed) {
        this.profile = profile;
        this.isForeignKeyAllowed = isForeignKeyAllowed;
    }

    /** Lints {@code files} in the order given (the migrations' order: later ones alter earlier tables). */
    Result check(List<Path> files, Path base) throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<Finding> notLinted = new ArrayList<>();
        Meta schema = dsl.meta(new Query[0]);
        int checked = 0;
        for (Path file : files) {
            Path shown = base.relativize(file.toAbsolutePath().normalize());
            String script = Files.readString(file, StandardCharsets.UTF_8);
            // An undo script is judged against what its migration left, and then forgotten: the
            // next migration meets the schema as its predecessor left it.
            Meta beforeFile = schema;
            boolean isUndo = UndoScripts.isUndoScript(file.getFileName().toString());
            for (SqlScript.Statement statement : SqlScript.statements(script)) {
                Queries queries;
                try {
                    queries = dsl.parser().parse(statement.sql());
                } catch (RuntimeException e) {
                    notLinted.add(new Finding(shown, statement.line(), "not linted, jOOQ's parser does not read it ("
                            + firstLine(e.getMessage()) + "): " + statement.firstLine()));
                    continue;
                }
                for (Query query : queries) {
                    // Once a statement could not be read, the model lacks what it did, and statements
                    // that fail to apply to the model are its consequence, not worth a line each.
                    schema = check(query, schema, new Location(shown, statement), findings,
                            notLinted.isEmpty() ? notLinted : new ArrayList<>());
                }
                checked++;
            }
            if (isUndo) {
                schema = beforeFile;
            }
        }
        return new Result(findings, notLinted, checked);
    }

    private Meta check(Query query, Meta before, Location at, List<Finding> findings, List<Finding> notLinted) {
        if (query instanceof QOM.InsertReturning<?> || query instanceof QOM.UpdateReturning<?>
                || query instanceof QOM.DeleteReturning<?>) {
            findings.add(at.finding("returning", "RETURNING: MySQL has no RETURNING clause; read the row back"
                    + " with a SELECT (by its key, or LAST_INSERT_ID())"));
        }
        if (query instanceof QOM.CreateTable create && create.$storage() != null
                && containsWord(create.$storage().toString(), "collate")) {
            findings.add(at.finding("collate", "table " + create.$table().getName() + ": explicit collation: the servers'"
                    + " collations differ (MariaDB 11.4 defaults to utf8mb4_uca1400_ai_ci, MySQL 8 to utf8mb4_0900_ai_ci);"
                    + " leave it to the database's default"));
        }
        if (!(query instanceof org.jooq.DDLQuery)) {
            return before;
        }
        Meta after;
        try {
            after = before.apply(query);
        } catch (RuntimeException e) {
            notLinted.add(at.finding(null, "not linted, jOOQ cannot apply it to its model of the schema ("
                    + firstLine(e.getMessage()) + ")"));
            return before;
        }
        Map<String, Table<?>> tablesBefore = byName(before.getTables());
        for (Table<?> table : after.getTables()) {
            Table<?> previous = tablesBefore.get(table.getName().toLowerCase(Locale.ROOT));
            for (Field<?> field : table.fields()) {
                Field<?> old = previous == null ? null : previous.field(field.getName());
                if (old == null || !describe(old.getDataType()).equals(describe(field.getDataType()))) {
                    checkColumn(table, field, at, findings);
                }
            }
            if (profile == Profile.VITESS) {
                if (previous == null && table.getPrimaryKey() == null) {
                    findings.add(at.finding(table.getName(), "table " + table.getName() + " has no primary key:"
                            + " Vitess/PlanetScale need one on every table (online schema changes copy rows by it)"));
                }
                Set<String> oldKeys = previous == null ? Set.of()
                        : previous.getReferences().stream().map(ForeignKey::getName).collect(Collectors.toSet());
                for (ForeignKey<?, ?> key : table.getReferences()) {
                    if (!oldKeys.contains(key.getName()) && !isForeignKeyAllowed) {
                        findings.add(at.finding(key.getName().isEmpty() ? "foreign" : key.getName(), "table " + table.getName()
                                + ": foreign key " + key.getName() + " references " + key.getKey().getTable().getName()
                                + ": Vitess/PlanetScale refuse foreign key constraints unless the database enables them"
                                + " (then set <lintForeignKeys>true, property sqlkit.lint.foreignKeys)"));
                    }
                }
            }
        }
        return after;
    }

    private static void checkColumn(Table<?> table, Field<?> field, Location at, List<Finding> findings) {
        DataType<?> type = field.getDataType();
        String column = "column " + table.getName() + "." + field.getName();
        if (type.isJSON()) {
            findings.add(at.finding(field.getName(), column + ": JSON column type: MariaDB's JSON is LONGTEXT, MySQL's a"
                    + " binary format; use TEXT (and parse in the application)"));
        }
        if (type.isUUID()) {
            findings.add(at.finding(field.getName(), column + ": UUID column type: MySQL has none; use BINARY(16) or CHAR(36)"));
        }
        if (type.collation() != null) {
            findings.add(at.finding(field.getName(), column + ": explicit collation " + type.collation().getName()
                    + ": the servers' collations differ; leave it to the database's default"));
        }
        Field<?> defaultValue = type.defaulted() ? type.defaultValue() : null;
        if (defaultValue != null && !(defaultValue instanceof Param<?>) && !(defaultValue instanceof QOM.CurrentTimestamp<?>)) {
            findings.add(at.finding(field.getName(), column + ": expression default " + defaultValue
                    + ": MariaDB and MySQL accept different expressions; only literals and CURRENT_TIMESTAMP are portable"));
        }
    }

    private static String describe(DataType<?> type) {
        return type.getCastTypeName() + "|" + type.collation() + "|" + type.characterSet() + "|"
                + (type.defaulted() ? Objects.toString(type.defaultValue()) : "");
    }

    private static Map<String, Table<?>> byName(List<Table<?>> tables) {
        Map<String, Table<?>> byName = new HashMap<>();
        tables.forEach(table -> byName.put(table.getName().toLowerCase(Locale.ROOT), table));
        return byName;
    }

    private static boolean containsWord(String text, String word) {
        return wordPattern(word).matcher(text).find();
    }

    private static Pattern wordPattern(String word) {
        return Pattern.compile("(?i)(?<![A-Za-z0-9_$])`?" + Pattern.quote(word) + "`?(?![A-Za-z0-9_$])");
    }

    private static String firstLine(String message) {
        return String.valueOf(message).lines().findFirst().orElse("").strip();
    }

    /** A statement of a file; a finding's line is that of the word it is about, within the statement. */
    private record Location(Path file, SqlScript.Statement statement) {

        Finding finding(String word, String message) {
            int line = statement.line();
            if (word != null) {
                Matcher match = wordPattern(word).matcher(statement.sql());
                if (match.find()) {
                    line += (int) statement.sql().substring(0, match.start()).chars().filter(c -> c == '\n').count();
                }
            }
            return new Finding(file, line, message);
        }
    }
}
