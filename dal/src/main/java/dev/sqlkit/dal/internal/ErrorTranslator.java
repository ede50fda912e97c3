package dev.sqlkit.dal.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.Configuration;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.jooq.exception.DataAccessException;

import dev.sqlkit.dal.ConflictException;
import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.InvalidInputException;
import dev.sqlkit.dal.TransactionConflictException;
import dev.sqlkit.dal.TransactionConflictException.Reason;
import dev.sqlkit.dal.UnavailableException;
import dev.sqlkit.db.DefaultSchema;

/**
 * Turns the database's errors into the dal's exceptions, in one place for every query, including
 * the ones an application writes itself against {@code Dal.dsl()}. MySQL and MariaDB share these
 * error numbers; their message texts differ slightly (MySQL 8 qualifies key names with the table),
 * which the patterns allow for.
 */
public final class ErrorTranslator implements ExecuteListener {

    private static final ErrorTranslator INSTANCE = new ErrorTranslator();

    private static final int DUPLICATE_ENTRY = 1062;
    private static final int BAD_NULL = 1048;
    private static final int DATA_TOO_LONG = 1406;
    private static final int OUT_OF_RANGE = 1264;
    private static final int DATA_TRUNCATED = 1265;
    private static final int WRONG_VALUE_FOR_FIELD = 1366;
    private static final int NO_REFERENCED_ROW = 1452;
    private static final int NO_REFERENCED_ROW_OLD = 1216;
    // Both roll back work that may succeed when run again; Galera reports a lost certification
    // (a conflicting write committed on another node) as the deadlock, 1213 with SQLSTATE 40001.
    private static final int LOCK_DEADLOCK = 1213;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final String SERIALIZATION_FAILURE = "40001";

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate entry '(.*)' for key '(?:[^'.]+\\.)?([^']+)'", Pattern.DOTALL);
    private static final Pattern COLUMN = Pattern.compile("column [`']?(?:[^`'\\s]+[`']?\\.[`']?)*([^`'\\s.]+)[`']?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FOREIGN_KEY = Pattern.compile("FOREIGN KEY \\(`([^`]+)`\\) REFERENCES `([^`]+)`");

    /** Unique key name to {entity, field}, read from the generated schema. */
    private static final Map<String, String[]> UNIQUE_KEYS = uniqueKeys();

    private ErrorTranslator() {
    }

    /**
     * Makes {@code configuration} translate errors. Install it once, on the configuration every
     * other context is derived from: derived contexts (a transaction's) inherit it.
     */
    public static void install(Configuration configuration) {
        configuration.setAppending(INSTANCE);
    }

    @Override
    public void exception(ExecuteContext ctx) {
        SQLException sql = ctx.sqlException();
        if (sql != null) {
            ctx.exception(translate(sql));
        }
    }

    /**
     * The dal's exception for a jOOQ exception raised outside a statement, e.g. by a COMMIT that
     * failed: translated when a database error caused it, else the exception itself.
     */
    public static RuntimeException translate(DataAccessException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return translate(sql);
            }
        }
        return e;
    }

    static RuntimeException translate(SQLException sql) {
        String message = String.valueOf(sql.getMessage());
        String state = sql.getSQLState();
        switch (sql.getErrorCode()) {
            case DUPLICATE_ENTRY -> {
                Matcher duplicate = DUPLICATE.matcher(message);
                if (duplicate.find()) {
                    String[] key = UNIQUE_KEYS.getOrDefault(duplicate.group(2), new String[] {"row", duplicate.group(2)});
                    return new ConflictException(key[0], key[1], duplicate.group(1), sql);
                }
            }
            case BAD_NULL -> {
                return new InvalidInputException(column(message), "is required", sql);
            }
            case DATA_TOO_LONG -> {
                return new InvalidInputException(column(message), "is too long for its column", sql);
            }
            case DATA_TRUNCATED, WRONG_VALUE_FOR_FIELD, OUT_OF_RANGE -> {
                return new InvalidInputException(column(message), "is not a value this column can hold", sql);
            }
            case NO_REFERENCED_ROW, NO_REFERENCED_ROW_OLD -> {
                Matcher foreignKey = FOREIGN_KEY.matcher(message);
                if (foreignKey.find()) {
                    return new InvalidInputException(Names.field(foreignKey.group(1)),
                            "refers to " + Names.withArticle(Names.entity(foreignKey.group(2))) + " that does not exist", sql);
                }
            }
            case LOCK_DEADLOCK -> {
                return new TransactionConflictException(Reason.DEADLOCK, 1, sql);
            }
            case LOCK_WAIT_TIMEOUT -> {
                return new TransactionConflictException(Reason.LOCK_WAIT_TIMEOUT, 1, sql);
            }
            default -> {
                // handled below
            }
        }
        if (SERIALIZATION_FAILURE.equals(state)) {
            return new TransactionConflictException(Reason.DEADLOCK, 1, sql);
        }
        if (isConnectionFailure(sql)) {
            return new UnavailableException("the database is unavailable: " + message, sql);
        }
        return new DalException("database error " + sql.getErrorCode() + " (" + state + "): " + message, sql);
    }

    /**
     * The connection broke or was closed under the query. SQLState class 08 is the standard signal,
     * but not the only one: HikariCP's stand-in for a connection it has already evicted throws
     * "Connection is closed" without any SQLState.
     */
    static boolean isConnectionFailure(SQLException sql) {
        String state = sql.getSQLState();
        return (state != null && state.startsWith("08"))
                || sql instanceof SQLTransientConnectionException
                || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException
                || "Connection is closed".equals(sql.getMessage());
    }

    private static String column(String message) {
        Matcher column = COLUMN.matcher(message);
        return column.find() ? Names.field(column.group(1)) : "value";
    }

    private static Map<String, String[]> uniqueKeys() {
        Map<String, String[]> keys = new HashMap<>();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            for (UniqueKey<?> key : table.getKeys()) {
                if (key.getFields().size() == 1) {
                    String[] entityAndField = {
                            Names.entity(table.getName()), Names.field(key.getFields().get(0).getName())};
                    // jOOQ names MySQL keys KEY_<table>_<index>; the server reports <index>.
                    String prefix = "KEY_" + table.getName() + "_";
                    String name = key.getName().startsWith(prefix) ? key.getName().substring(prefix.length()) : key.getName();
                    keys.put(name, entityAndField);
                }
            }
        }
        return Map.copyOf(keys);
    }
}
