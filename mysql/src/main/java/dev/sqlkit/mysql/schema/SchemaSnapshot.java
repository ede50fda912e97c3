package dev.sqlkit.mysql.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structure of one database as the server's catalog ({@code information_schema}) tells it:
 * tables, columns (type, nullability, default, auto-increment), indexes, primary and unique keys and
 * foreign keys. Normalized so that what does not change the schema does not count: auto-increment
 * counters, collations (the migrations name none; a server's default differs by version), integer
 * display widths ({@code bigint(20)} on MariaDB is {@code bigint} on MySQL 8), and the two servers'
 * ways of writing a default ({@code 'USER'} and {@code current_timestamp(6)} on MariaDB, {@code USER}
 * and {@code CURRENT_TIMESTAMP(6)} on MySQL). Two snapshots of the same migrations are equal on
 * MariaDB 10.11, 11.4 and MySQL 8, and {@link #toSql()} writes the same text for them.
 *
 * <p>Migration bookkeeping ({@code flyway_schema_history}, {@code sqlkit_migration_lock}) is left out.
 * CHECK constraints, triggers, views and routines are not compared.
 */
public record SchemaSnapshot(SortedMap<String, Table> tables) {

    /** Tables of migration tools, never part of the schema the migrations describe. */
    public static final Set<String> BOOKKEEPING_TABLES = Set.of("flyway_schema_history", "sqlkit_migration_lock");

    private static final Pattern INTEGER_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)(.*)$");
    private static final Pattern CURRENT_TIMESTAMP = Pattern.compile("(?i)^current_timestamp(\\(\\d?\\))?$");

    public SchemaSnapshot {
        tables = new TreeMap<>(tables);
    }

    /** A table: its columns in their order, its indexes and foreign keys by name. */
    public record Table(String name, String engine, String charset, List<Column> columns, SortedMap<String, Index> indexes,
                        SortedMap<String, ForeignKey> foreignKeys) {
    }

    /**
     * A column. {@code defaultValue} is SQL as a migration would write it ({@code 'USER'}, {@code 0},
     * {@code CURRENT_TIMESTAMP(6)}), or null for none; {@code charset} only for text columns.
     */
    public record Column(String name, String type, boolean isNullable, String defaultValue, boolean isAutoIncrement,
                         String charset, String onUpdate) {

        String describe() {
            return type + (isNullable ? " NULL" : " NOT NULL") + (defaultValue != null ? " DEFAULT " + defaultValue : "")
                    + (onUpdate != null ? " ON UPDATE " + onUpdate : "") + (isAutoIncrement ? " AUTO_INCREMENT" : "");
        }
    }

    /** An index; the primary key is the one named {@code PRIMARY}. Columns carry a prefix length if any ({@code name(10)}). */
    public record Index(String name, boolean isUnique, List<String> columns) {

        String describe() {
            return (isUnique && !name.equals("PRIMARY") ? "UNIQUE " : "") + "(" + String.join(", ", columns) + ")";
        }
    }

    /** A foreign key constraint. */
    public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns,
                             String onUpdate, String onDelete) {

        String describe() {
            return "(" + String.join(", ", columns) + ") REFERENCES " + referencedTable + " ("
                    + String.join(", ", referencedColumns) + ")" + rule("UPDATE", onUpdate) + rule("DELETE", onDelete);
        }

        private static String rule(String event, String action) {
            return action == null || action.equals("RESTRICT") || action.equals("NO ACTION") ? "" : " ON " + event + " " + action;
        }
    }

    /** The current database ({@code DATABASE()}) of {@code connection}. */
    public static SchemaSnapshot of(Connection connection) throws SQLException {
        boolean isMariaDb = connection.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
        Map<String, TableBuilder> tables = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT t.table_name, t.engine, c.character_set_name
                FROM information_schema.tables t
                LEFT JOIN information_schema.collation_character_set_applicability c ON c.collation_name = t.table_collation
                WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
                """);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                if (!BOOKKEEPING_TABLES.contains(name.toLowerCase(Locale.ROOT))) {
                    tables.put(name, new TableBuilder(name, rows.getString(2), rows.getString(3)));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT table_name, column_name, column_type, is_nullable, column_default, extra, character_set_name, data_type
                FROM information_schema.columns
                WHERE table_schema = DATABASE()
                ORDER BY table_name, ordinal_position
                """);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                TableBuilder table = tables.get(rows.getString(1));
                if (table == null) {
                    continue;
                }
                String extra = String.valueOf(rows.getString(6)).toLowerCase(Locale.ROOT);
                String dataType = rows.getString(8).toLowerCase(Locale.ROOT);
                table.columns.add(new Column(rows.getString(2), type(rows.getString(3)), "YES".equals(rows.getString(4)),
                        defaultValue(rows.getString(5), extra, dataType, isMariaDb), extra.contains("auto_increment"),
                        rows.getString(7), onUpdate(extra)));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT table_name, index_name, non_unique, column_name, sub_part
                FROM information_schema.statistics
                WHERE table_schema = DATABASE()
                ORDER BY table_name, index_name, seq_in_index
                """);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                TableBuilder table = tables.get(rows.getString(1));
                if (table == null) {
                    continue;
                }
                String column = rows.getString(4) + (rows.getObject(5) != null ? "(" + rows.getLong(5) + ")" : "");
                table.indexColumns.computeIfAbsent(rows.getString(2), name -> new ArrayList<>()).add(column);
                table.isUnique.put(rows.getString(2), rows.getLong(3) == 0);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, k.referenced_column_name,
                       r.update_rule, r.delete_rule
                FROM information_schema.key_column_usage k
                JOIN information_schema.referential_constraints r
                  ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
                 AND r.table_name = k.table_name
                WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
                ORDER BY k.table_name, k.constraint_name, k.ordinal_position
                """);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                TableBuilder table = tables.get(rows.getString(1));
                if (table == null) {
                    continue;
                }
                ForeignKeyBuilder key = table.foreignKeys.computeIfAbsent(rows.getString(2),
                        name -> new ForeignKeyBuilder(name, string(rows, 4), string(rows, 6), string(rows, 7)));
                key.columns.add(rows.getString(3));
                key.referencedColumns.add(rows.getString(5));
            }
        }
        SortedMap<String, Table> result = new TreeMap<>();
        tables.forEach((name, table) -> result.put(name, table.build()));
        return new SchemaSnapshot(result);
    }

    private static String string(ResultSet rows, int column) {
        try {
            return rows.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every difference between {@code expected} and this snapshot, one line each, naming the table
     * and the column, index or constraint: {@code table posts: index ix_posts_published_id (published,
     * id) is missing}, {@code column users.role: expected ... DEFAULT 'USER', found ...}.
     */
    public List<String> differencesFrom(SchemaSnapshot expected) {
        List<String> differences = new ArrayList<>();
        Set<String> names = new TreeSet<>(expected.tables.keySet());
        names.addAll(tables.keySet());
        for (String name : names) {
            Table want = expected.tables.get(name);
            Table have = tables.get(name);
            if (have == null) {
                differences.add("table " + name + " is missing");
            } else if (want == null) {
                differences.add("table " + name + " should not exist");
            } else {
                compare(want, have, differences);
            }
        }
        return differences;
    }

    private static void compare(Table want, Table have, List<String> differences) {
        String table = want.name();
        if (!Objects.equals(want.engine(), have.engine()) || !Objects.equals(want.charset(), have.charset())) {
            differences.add("table " + table + ": expected ENGINE=" + want.engine() + " CHARSET=" + want.charset()
                    + ", found ENGINE=" + have.engine() + " CHARSET=" + have.charset());
        }
        Map<String, Column> wantColumns = byName(want.columns());
        Map<String, Column> haveColumns = byName(have.columns());
        for (Column column : want.columns()) {
            Column found = haveColumns.get(column.name());
            if (found == null) {
                differences.add("column " + table + "." + column.name() + " (" + column.describe() + ") is missing");
            } else if (!found.equals(column)) {
                differences.add("column " + table + "." + column.name() + ": expected " + column.describe()
                        + charsetNote(column, found) + ", found " + found.describe() + charsetNote(found, column));
            }
        }
        for (Column column : have.columns()) {
            if (!wantColumns.containsKey(column.name())) {
                differences.add("column " + table + "." + column.name() + " (" + column.describe() + ") should not exist");
            }
        }
        List<String> wantOrder = want.columns().stream().map(Column::name).filter(haveColumns::containsKey).toList();
        List<String> haveOrder = have.columns().stream().map(Column::name).filter(wantColumns::containsKey).toList();
        if (!wantOrder.equals(haveOrder)) {
            differences.add("table " + table + ": columns in the order " + haveOrder + ", expected " + wantOrder);
        }
        compareNamed(table, "index", want.indexes(), have.indexes(), Index::describe, differences);
        compareNamed(table, "foreign key", want.foreignKeys(), have.foreignKeys(), ForeignKey::describe, differences);
    }

    private static String charsetNote(Column column, Column other) {
        return Objects.equals(column.charset(), other.charset()) ? "" : " CHARACTER SET " + column.charset();
    }

    private static <T> void compareNamed(String table, String kind, SortedMap<String, T> want, SortedMap<String, T> have,
                                         java.util.function.Function<T, String> describe, List<String> differences) {
        Set<String> names = new TreeSet<>(want.keySet());
        names.addAll(have.keySet());
        for (String name : names) {
            T expected = want.get(name);
            T found = have.get(name);
            if (found == null) {
                differences.add("table " + table + ": " + kind + " " + name + " " + describe.apply(expected) + " is missing");
            } else if (expected == null) {
                differences.add("table " + table + ": " + kind + " " + name + " " + describe.apply(found) + " should not exist");
            } else if (!expected.equals(found)) {
                differences.add("table " + table + ": " + kind + " " + name + ": expected " + describe.apply(expected)
                        + ", found " + describe.apply(found));
            }
        }
    }

    private static Map<String, Column> byName(List<Column> columns) {
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(column -> byName.put(column.name(), column));
        return byName;
    }

    /**
     * The schema as SQL a reader (and jOOQ's parser) understands: one {@code CREATE TABLE} per table
     * in name order, each with its columns in their order, its primary key and unique keys, followed
     * by its other indexes by name; then the foreign keys as {@code ALTER TABLE} statements (so that no table refers to
     * one not yet created).
     */
    public String toSql() {
        StringBuilder sql = new StringBuilder();
        for (Table table : tables.values()) {
            sql.append("CREATE TABLE ").append(identifier(table.name())).append(" (\n");
            List<String> lines = new ArrayList<>();
            for (Column column : table.columns()) {
                // BOOLEAN is what migrations write and what a reader (and jOOQ's DDLDatabase) understands.
                lines.add("  " + identifier(column.name()) + " " + (column.type().equals("tinyint(1)") ? "boolean" : column.type())
                        + (column.charset() != null && !column.charset().equals(table.charset())
                        ? " CHARACTER SET " + column.charset() : "")
                        + (column.isNullable() ? " NULL" : " NOT NULL")
                        + (column.defaultValue() != null ? " DEFAULT " + column.defaultValue() : "")
                        + (column.onUpdate() != null ? " ON UPDATE " + column.onUpdate() : "")
                        + (column.isAutoIncrement() ? " AUTO_INCREMENT" : ""));
            }
            Index primary = table.indexes().get("PRIMARY");
            if (primary != null) {
                lines.add("  PRIMARY KEY (" + identifiers(primary.columns()) + ")");
            }
            for (Index index : table.indexes().values()) {
                if (index.isUnique() && !index.name().equals("PRIMARY")) {
                    lines.add("  CONSTRAINT " + identifier(index.name()) + " UNIQUE (" + identifiers(index.columns()) + ")");
                }
            }
            sql.append(String.join(",\n", lines)).append("\n)");
            if (table.engine() != null) {
                sql.append(" ENGINE = ").append(table.engine());
            }
            if (table.charset() != null) {
                sql.append(" DEFAULT CHARSET = ").append(table.charset());
            }
            sql.append(";\n");
            // Plain indexes as statements of their own: jOOQ's DDLDatabase, which reads this file
            // when no database can be had, takes no INDEX clause inside CREATE TABLE.
            for (Index index : table.indexes().values()) {
                if (!index.isUnique()) {
                    sql.append("CREATE INDEX ").append(identifier(index.name())).append(" ON ").append(identifier(table.name()))
                            .append(" (").append(identifiers(index.columns())).append(");\n");
                }
            }
            sql.append("\n");
        }
        for (Table table : tables.values()) {
            for (ForeignKey key : table.foreignKeys().values()) {
                sql.append("ALTER TABLE ").append(identifier(table.name())).append(" ADD CONSTRAINT ")
                        .append(identifier(key.name())).append("\n  FOREIGN KEY (").append(identifiers(key.columns()))
                        .append(") REFERENCES ").append(identifier(key.referencedTable())).append(" (")
                        .append(identifiers(key.referencedColumns())).append(")")
                        .append(ForeignKey.rule("UPDATE", key.onUpdate())).append(ForeignKey.rule("DELETE", key.onDelete()))
                        .append(";\n\n");
            }
        }
        return sql.toString().stripTrailing() + "\n";
    }

    private static String identifiers(List<String> names) {
        return String.join(", ", names.stream().map(SchemaSnapshot::identifier).toList());
    }

    /** Plain names stay plain (readable); anything else, and words the parser could take for keywords, in backticks. */
    private static String identifier(String name) {
        String bare = name.replaceFirst("\\(\\d+\\)$", "");
        String prefix = name.substring(bare.length());
        boolean isPlain = bare.matches("[a-z_][a-z0-9_]*") && !RESERVED.contains(bare);
        return (isPlain ? bare : "`" + bare.replace("`", "``") + "`") + prefix;
    }

    private static final Set<String> RESERVED = Set.of("key", "index", "order", "group", "table", "select", "from", "where",
            "user", "values", "value", "default", "primary", "unique", "check", "constraint", "references", "column", "range",
            "interval", "status", "comment", "type", "text", "date", "time", "timestamp", "year", "position", "to");

    private static String type(String columnType) {
        String stripped = columnType.strip();
        int parenthesis = stripped.indexOf('(');
        String name = (parenthesis < 0 ? stripped : stripped.substring(0, parenthesis)).toLowerCase(Locale.ROOT);
        // The values of an ENUM or SET are data, and keep their case.
        String type = name.equals("enum") || name.equals("set") ? name + stripped.substring(name.length())
                : stripped.toLowerCase(Locale.ROOT);
        // BOOLEAN is tinyint(1) on both servers and must stay so; other display widths are noise.
        if (type.startsWith("tinyint(1)")) {
            return type;
        }
        Matcher width = INTEGER_WIDTH.matcher(type);
        return width.matches() ? width.group(1) + width.group(2) : type;
    }

    private static String onUpdate(String extra) {
        int at = extra.indexOf("on update ");
        if (at < 0) {
            return null;
        }
        String expression = extra.substring(at + "on update ".length()).strip();
        return CURRENT_TIMESTAMP.matcher(expression).matches() ? expression.toUpperCase(Locale.ROOT) : expression;
    }

    /**
     * MariaDB (since 10.2.7) writes defaults as SQL: string literals quoted, {@code NULL} for none on
     * a nullable column. MySQL writes a literal's bare value and marks expressions DEFAULT_GENERATED.
     */
    private static String defaultValue(String raw, String extra, String dataType, boolean isMariaDb) {
        if (raw == null) {
            return null;
        }
        if (CURRENT_TIMESTAMP.matcher(raw.strip()).matches()) {
            return raw.strip().toUpperCase(Locale.ROOT);
        }
        if (isMariaDb) {
            return raw.equals("NULL") ? null : raw;
        }
        if (extra.contains("default_generated")) {
            return "(" + raw + ")";
        }
        return isNumeric(dataType) ? raw : "'" + raw.replace("'", "''") + "'";
    }

    private static boolean isNumeric(String dataType) {
        return Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double", "bit").contains(dataType);
    }

    private static final class TableBuilder {
        final String name;
        final String engine;
        final String charset;
        final List<Column> columns = new ArrayList<>();
        final Map<String, List<String>> indexColumns = new TreeMap<>();
        final Map<String, Boolean> isUnique = new TreeMap<>();
        final Map<String, ForeignKeyBuilder> foreignKeys = new TreeMap<>();

        TableBuilder(String name, String engine, String charset) {
            this.name = name;
            this.engine = engine;
            this.charset = charset;
        }

        Table build() {
            SortedMap<String, Index> indexes = new TreeMap<>();
            indexColumns.forEach((index, columnNames) -> indexes.put(index, new Index(index, isUnique.get(index), List.copyOf(columnNames))));
            SortedMap<String, ForeignKey> keys = new TreeMap<>();
            foreignKeys.forEach((key, builder) -> keys.put(key, builder.build()));
            return new Table(name, engine, charset, List.copyOf(columns), indexes, keys);
        }
    }

    private static final class ForeignKeyBuilder {
        final String name;
        final String referencedTable;
        final String onUpdate;
        final String onDelete;
        final List<String> columns = new ArrayList<>();
        final List<String> referencedColumns = new ArrayList<>();

        ForeignKeyBuilder(String name, String referencedTable, String onUpdate, String onDelete) {
            this.name = name;
            this.referencedTable = referencedTable;
            this.onUpdate = onUpdate;
            this.onDelete = onDelete;
        }

        ForeignKey build() {
            return new ForeignKey(name, List.copyOf(columns), referencedTable, List.copyOf(referencedColumns), onUpdate, onDelete);
        }
    }
}
