package dev.sqlkit.dal.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;

import dev.sqlkit.dal.DalException;

/**
 * A query whose SQL never changes but for its bind values, built with the generated classes (so it
 * is checked by the compiler like every other query), rendered by jOOQ once per dialect, and then
 * run through JDBC on the context's connection. jOOQ renders a query anew on every execution; for
 * the cheapest query there is, a read by primary key, that rendering cost more CPU than the rest of
 * the dal's work (a profile of GET /posts/{id}: a fifth of the server's samples in jOOQ's render
 * and select machinery). Errors are translated as the dal's listener translates every other query's.
 *
 * @param <T> what a row is read as
 */
public final class RenderedOnce<T> {

    /** Reads the current row; columns are numbered from 1 in the order the query selects them. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final Function<DSLContext, Query> query;
    private final RowReader<T> reader;
    private final Map<SQLDialect, String> sql = new ConcurrentHashMap<>();

    private RenderedOnce(Function<DSLContext, Query> query, RowReader<T> reader) {
        this.query = query;
        this.reader = reader;
    }

    /**
     * @param query  the query, its bind values as {@code DSL.param(...)} placeholders, in the order
     *               {@link #fetchOptional} and {@link #fetch} receive them
     * @param reader a row, in the order the query selects its columns
     */
    public static <T> RenderedOnce<T> of(Function<DSLContext, Query> query, RowReader<T> reader) {
        return new RenderedOnce<>(query, reader);
    }

    /** The first row the query finds, or empty; run on {@code dsl}'s connection (a transaction's, when in one). */
    public Optional<T> fetchOptional(DSLContext dsl, Object... binds) {
        return run(dsl, binds, rows -> rows.next() ? Optional.of(reader.read(rows)) : Optional.empty());
    }

    /** The one row a write sends back ({@code INSERT ... RETURNING} on MariaDB). */
    public T fetchReturned(DSLContext dsl, Object... binds) {
        return fetchOptional(dsl, binds).orElseThrow(
                () -> new DalException("the write sent back no row: " + sql.get(dsl.dialect())));
    }

    /** Every row the query finds, in its order. */
    public List<T> fetch(DSLContext dsl, Object... binds) {
        return run(dsl, binds, rows -> {
            List<T> all = new ArrayList<>();
            while (rows.next()) {
                all.add(reader.read(rows));
            }
            return all;
        });
    }

    private interface RowsReader<R> {
        R read(ResultSet rows) throws SQLException;
    }

    private <R> R run(DSLContext dsl, Object[] binds, RowsReader<R> rows) {
        String text = sql.computeIfAbsent(dsl.dialect(), dialect -> dsl.render(query.apply(dsl)));
        try {
            return dsl.connectionResult(connection -> run(connection, text, binds, rows));
        } catch (DataAccessException e) {
            throw ErrorTranslator.translate(e);
        }
    }

    private static <R> R run(Connection connection, String text, Object[] binds, RowsReader<R> rows)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            for (int i = 0; i < binds.length; i++) {
                statement.setObject(i + 1, binds[i]);
            }
            // execute, not executeQuery: MySQL Connector/J refuses executeQuery for any INSERT, also
            // one with RETURNING; both drivers run a SELECT the same way through either.
            if (!statement.execute()) {
                throw new SQLException("the statement sent back no result set: " + text);
            }
            try (ResultSet result = statement.getResultSet()) {
                return rows.read(result);
            }
        }
    }
}
