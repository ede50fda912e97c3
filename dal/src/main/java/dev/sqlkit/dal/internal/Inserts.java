package dev.sqlkit.dal.internal;

import org.jooq.DSLContext;
import org.jooq.InsertResultStep;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;

/**
 * Runs {@code INSERT ... returningResult(projection)} in as few round trips as the server allows.
 *
 * <p>MariaDB has {@code INSERT ... RETURNING}: one statement writes the row and sends back the
 * database-set columns (id, created_at, defaults). jOOQ's MARIADB dialect renders it but runs it with
 * {@code executeQuery}, which MySQL Connector/J refuses for any INSERT ("cannot issue statements
 * that do not produce result sets"); run as a plain-SQL result query, jOOQ uses {@code execute} and
 * reads the rows, which both drivers accept. MySQL has no RETURNING: jOOQ takes the id as a JDBC
 * generated key and reads the other columns in one more SELECT on the same connection.
 */
public final class Inserts {

    private Inserts() {
    }

    /**
     * Whether an INSERT can send back the row it wrote ({@code INSERT ... RETURNING}): on MariaDB
     * yes, on MySQL no. Decides the create's statements and whether it needs a transaction.
     */
    public static boolean hasReturning(DSLContext dsl) {
        return dsl.dialect().family() == SQLDialect.MARIADB;
    }

    /** The one row the insert wrote, as its projection maps it. */
    @SuppressWarnings("unchecked") // coerce() to the insert's own fields makes records of the insert's record type
    public static <T> T returning(DSLContext dsl, InsertResultStep<Record1<T>> insert) {
        ResultQuery<Record1<T>> query = !hasReturning(dsl)
                ? insert
                // The projection's nested row is read back column by column, as from the insert itself.
                : (ResultQuery<Record1<T>>) (ResultQuery<?>) dsl.resultQuery("{0}", insert).coerce(insert.fields());
        return query.fetchSingle(Record1::value1);
    }
}
