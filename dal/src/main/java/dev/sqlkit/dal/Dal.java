package dev.sqlkit.dal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DefaultConfiguration;

import dev.sqlkit.dal.internal.ErrorTranslator;
import dev.sqlkit.mysql.JooqVersionCheck;
import dev.sqlkit.mysql.ServerVersion;

/**
 * The entry point: repositories, transactions and migrations over one {@link DataSource} (normally a
 * connection pool, which the importer chooses and owns, like the JDBC driver).
 *
 * <pre>{@code
 * Dal dal = Dal.create(dataSource);          // dialect detected from the server
 * dal.migrate();                             // optional: apply the schema jar's migrations
 * Post post = dal.posts().create(new NewPost("Hello", "First post"));
 * dal.transaction(trx -> {
 *     Org org = trx.orgs().create(new NewOrg("acme", "Rockets", null));
 *     trx.users().create(new NewUser("wile@acme.test", "Wile", Role.ADMIN, org.id()));
 * });
 * }</pre>
 *
 * <p>Stored timestamps are UTC, so every connection's session must run in UTC; {@link #create}
 * checks that, and that the server rejects over-long values instead of truncating them (strict
 * sql_mode), and fails with the fix if either does not hold. Thread-safe; create one per DataSource.
 */
public final class Dal extends Repositories {

    private final DataSource dataSource;

    private Dal(DataSource dataSource, SQLDialect dialect) {
        super(context(dataSource, dialect));
        this.dataSource = dataSource;
    }

    /**
     * The dal's one context. The error translator is installed here and only here: the repositories
     * and every transaction's context are derived from this one and inherit it.
     */
    private static DSLContext context(DataSource dataSource, SQLDialect dialect) {
        Settings settings = new Settings()
                // No per-query debug logging machinery on the hot path.
                .withExecuteLogging(false);
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.set(new DataSourceConnections(dataSource));
        configuration.set(dialect);
        configuration.set(settings);
        ErrorTranslator.install(configuration);
        return configuration.dsl();
    }

    /**
     * A dal over {@code dataSource}, with the SQL dialect detected from the server: MariaDB when its
     * version string says so, MySQL otherwise (which covers Vitess and PlanetScale).
     *
     * @throws UnavailableException if no connection can be obtained
     * @throws DalException         if the sessions are not in UTC or not in a strict sql_mode
     */
    public static Dal create(DataSource dataSource) {
        return create(dataSource, null);
    }

    /** As {@link #create(DataSource)}, with the dialect given ({@code MYSQL} or {@code MARIADB}). */
    public static Dal create(DataSource dataSource, SQLDialect dialect) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource is required");
        }
        SQLDialect checked = checkServer(dataSource, dialect);
        return new Dal(dataSource, checked);
    }

    /** The SQL dialect the dal renders, detected or given at {@link #create(DataSource, SQLDialect)}. */
    public SQLDialect dialect() {
        return dsl().dialect();
    }

    /**
     * Runs {@code work} in one transaction and returns its result: committed when it returns,
     * rolled back when it throws (the exception is rethrown as is).
     */
    public <T> T transactionResult(Function<Transaction, T> work) {
        return dsl().transactionResult(trx -> work.apply(new Transaction(trx.dsl())));
    }

    /** As {@link #transactionResult}, for work without a result. */
    public void transaction(Consumer<Transaction> work) {
        dsl().transaction(trx -> work.accept(new Transaction(trx.dsl())));
    }

    /** Applies the schema jar's pending migrations. See {@link Migrations#migrate}. */
    public MigrationReport migrate() {
        return Migrations.migrate(dataSource);
    }

    /** Fails if the database differs from the migrations. See {@link Migrations#validate}. */
    public void validateSchema() {
        Migrations.validate(dataSource);
    }

    private static SQLDialect checkServer(DataSource dataSource, SQLDialect dialect) {
        try (Connection connection = dataSource.getConnection()) {
            ServerVersion version = ServerVersion.of(connection);
            SQLDialect detected = version.isMariaDb() ? SQLDialect.MARIADB : SQLDialect.MYSQL;
            JooqVersionCheck.acceptIfSupported(version);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()), @@SESSION.sql_mode");
                 ResultSet row = statement.executeQuery()) {
                row.next();
                long offsetSeconds = row.getLong(1);
                String sqlMode = String.valueOf(row.getString(2));
                if (offsetSeconds != 0) {
                    throw new DalException("database sessions run at UTC" + (offsetSeconds > 0 ? "+" : "") + offsetSeconds / 3600.0
                            + "h, but the dal stores UTC timestamps. Make sessions UTC: add connectionTimeZone=UTC"
                            + "&forceConnectionTimeZoneToSession=true to the JDBC URL, or have the pool run"
                            + " SET time_zone = '+00:00' on each new connection.");
                }
                if (!sqlMode.contains("STRICT_TRANS_TABLES") && !sqlMode.contains("STRICT_ALL_TABLES")) {
                    throw new DalException("the server's sql_mode (" + sqlMode + ") is not strict, so it would cut"
                            + " over-long values silently. Add STRICT_TRANS_TABLES to the server's sql_mode, or add"
                            + " sessionVariables=sql_mode='STRICT_TRANS_TABLES' to the JDBC URL.");
                }
            }
            return dialect != null ? dialect : detected;
        } catch (SQLException e) {
            throw new UnavailableException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /**
     * Hands out the DataSource's connections, reporting a failure to get one (an exhausted pool, an
     * unreachable server) as {@link UnavailableException} rather than a generic error.
     */
    private record DataSourceConnections(DataSource dataSource) implements ConnectionProvider {

        @Override
        public Connection acquire() {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new UnavailableException("no database connection available: " + e.getMessage(), e);
            }
        }

        @Override
        public void release(Connection connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new DalException("cannot return a connection: " + e.getMessage(), e);
            }
        }
    }
}
