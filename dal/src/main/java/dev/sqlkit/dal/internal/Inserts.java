package dev.sqlkit.dal.internal;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * The context to run {@code INSERT ... returningResult(...)} on.
 *
 * <p>With the MARIADB dialect jOOQ renders MariaDB's native {@code INSERT ... RETURNING} and runs it
 * with {@code executeQuery}, which MySQL Connector/J refuses for any INSERT ("cannot issue
 * statements that do not produce result sets"). Rendered as MYSQL, the same insert is plain SQL
 * that both servers and both drivers accept: the id comes back as a JDBC generated key and jOOQ
 * reads the database-set columns (created_at, defaults) in one more SELECT on the same connection.
 */
public final class Inserts {

    private Inserts() {
    }

    public static DSLContext context(DSLContext dsl) {
        return dsl.dialect().family() == SQLDialect.MARIADB ? dsl.configuration().derive(SQLDialect.MYSQL).dsl() : dsl;
    }
}
