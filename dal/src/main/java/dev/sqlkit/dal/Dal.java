package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.POSTS;

import java.lang.invoke.MethodHandles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
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
 * checks that, that the server rejects over-long values instead of truncating them (strict
 * sql_mode), and on a Galera cluster that every statement sees the writes committed before it
 * anywhere (wsrep_sync_wait=7), and fails with the fix if any does not hold. Thread-safe; create one per DataSource.
 *
 * <p><strong>Conflicts are retried.</strong> Every repository call is one unit of work that the
 * database either applies entirely or not at all; when it rolls one back for colliding with a
 * concurrent transaction (error 1213: an InnoDB deadlock, or a Galera certification failure), the
 * dal runs it again after a short random wait, as the {@link RetryPolicy} of {@link DalOptions}
 * says, and throws {@link TransactionConflictException} once it gives up. {@link #transaction} does
 * the same with the whole work; see there what that asks of the work.
 */
public final class Dal extends Repositories {

    /** wsrep_sync_wait's bits for reads (1), updates and deletes (2), inserts and replaces (4). */
    private static final long CAUSAL_READS = 7;

    private final DataSource dataSource;
    private final Attempts attempts;
    private final Duration idempotencyTtl;

    private Dal(DataSource dataSource, DSLContext dsl, DalOptions options) {
        this(dataSource, dsl, Attempts.outermost(dsl, options.retryPolicy(), options.retryListener()), options.idempotencyTtl());
    }

    private Dal(DataSource dataSource, DSLContext dsl, Attempts attempts, Duration idempotencyTtl) {
        super(dsl, attempts);
        this.dataSource = dataSource;
        this.attempts = attempts;
        this.idempotencyTtl = idempotencyTtl;
    }

    /**
     * The dal's one context. The error translator is installed here and only here: the repositories
     * and every transaction's context are derived from this one and inherit it.
     */
    private static DSLContext context(DataSource dataSource, SQLDialect dialect, DalOptions options) {
        Settings settings = new Settings()
                // No per-query debug logging machinery on the hot path.
                .withExecuteLogging(false);
        DefaultConfiguration configuration = new DefaultConfiguration();
        ConnectionProvider connections = new DataSourceConnections(dataSource);
        if (options.connectionLimit() > 0) {
            connections = new LimitedConnections(connections, new Semaphore(options.connectionLimit(), true),
                    options.connectionWait().toNanos());
        }
        configuration.set(connections);
        configuration.set(dialect);
        configuration.set(settings);
        ErrorTranslator.install(configuration);
        return configuration.dsl();
    }

    /**
     * A dal over {@code dataSource}, with the SQL dialect detected from the server: MariaDB when its
     * version string says so, MySQL otherwise (which covers Vitess and PlanetScale), and
     * {@link RetryPolicy#DEFAULT}.
     *
     * @throws UnavailableException if no connection can be obtained
     * @throws DalException         if the sessions are not in UTC or not in a strict sql_mode
     */
    public static Dal create(DataSource dataSource) {
        return create(dataSource, DalOptions.defaults());
    }

    /** As {@link #create(DataSource)}, with the dialect given ({@code MYSQL} or {@code MARIADB}). */
    public static Dal create(DataSource dataSource, SQLDialect dialect) {
        return create(dataSource, DalOptions.defaults().withDialect(dialect));
    }

    /** As {@link #create(DataSource)}, with the dialect, retry policy and retry listener of {@code options}. */
    public static Dal create(DataSource dataSource, DalOptions options) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource is required");
        }
        if (options == null) {
            throw new IllegalArgumentException("options are required (DalOptions.defaults())");
        }
        SQLDialect checked = checkServer(dataSource, options.dialect());
        return new Dal(dataSource, context(dataSource, checked, options), options);
    }

    /**
     * Loads and initialises what the dal needs before its first call, none of which needs a
     * database: the generated schema with jOOQ's data types (read by the error translator), jOOQ's
     * renderer, and the repositories' fixed queries. That is about a quarter of a second of CPU,
     * which {@link #create} and the first calls would otherwise spend on the thread that waits for
     * them. A service that wants its first request early calls this on another thread while it
     * reads its configuration and opens its pool; it is never required, and a second call costs nothing.
     */
    public static void preload() {
        ErrorTranslator.install(new DefaultConfiguration());
        DSL.using(SQLDialect.MARIADB).render(DSL.selectFrom(POSTS).where(POSTS.ID.eq(DSL.param("id", Long.class))));
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(PostRepository.class);
            lookup.ensureInitialized(UserRepository.class);
            lookup.ensureInitialized(OrgRepository.class);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the dal's own classes are accessible to it", e);
        }
    }

    /** The SQL dialect the dal renders, detected or given at {@link #create(DataSource, SQLDialect)}. */
    public SQLDialect dialect() {
        return dsl().dialect();
    }

    /**
     * Runs {@code work} in one transaction and returns its result: committed when it returns,
     * rolled back when it throws (the exception is rethrown as is).
     *
     * <p><strong>The work may run more than once.</strong> When the database rolls the transaction
     * back because it collided with a concurrent one (a deadlock, or on a Galera cluster a write
     * committed on another node first), the dal runs the whole work again from the start, in a new
     * transaction, as its {@link RetryPolicy} allows, and throws {@link TransactionConflictException}
     * when no attempt succeeded. So the work must be safe to run again: no effects outside the
     * transaction (no messages sent, no files written, no counters in memory), and no decisions
     * carried over from a failed attempt. Work that cannot be repeated belongs in
     * {@link #transactionResultOnce}.
     */
    public <T> T transactionResult(Function<Transaction, T> work) {
        return attempts.transaction(trx -> work.apply(new Transaction(trx)));
    }

    /** As {@link #transactionResult}, for work without a result. The work may run more than once. */
    public void transaction(Consumer<Transaction> work) {
        attempts.transaction(trx -> {
            work.accept(new Transaction(trx));
            return null;
        });
    }

    /**
     * As {@link #transactionResult}, but the work runs exactly once: a conflict arrives as
     * {@link TransactionConflictException} at once, for the caller to decide about.
     */
    public <T> T transactionResultOnce(Function<Transaction, T> work) {
        return attempts.transaction(trx -> work.apply(new Transaction(trx)), RetryPolicy.NEVER);
    }

    /** As {@link #transactionResultOnce}, for work without a result. */
    public void transactionOnce(Consumer<Transaction> work) {
        attempts.transaction(trx -> {
            work.accept(new Transaction(trx));
            return null;
        }, RetryPolicy.NEVER);
    }

    /**
     * Applies {@code write} at most once per {@code key}: the first time, in one transaction
     * together with storing the key and the write's reply; every later time with the same key and
     * request, not at all, returning the stored reply ({@link Reply#isReplay()}). So a client that
     * cannot tell whether its request went through (a timeout, a cut connection, a node that died
     * before answering) sends it again with the same key, and the write happens once.
     *
     * <p>Requests with the same key at the same time are applied once too: the later ones wait for
     * the first, or collide with it and are retried, and get its reply. A write that fails (throws)
     * stores nothing, so its repeat is applied afresh. Keys are kept for the dal's
     * {@link DalOptions#idempotencyTtl}; {@link #purgeExpiredIdempotencyKeys} deletes the expired
     * ones. As with {@link #transactionResult}, the write may run more than once before one run commits.
     *
     * @throws IdempotencyKeyReusedException if the key was used for another request (its digest differs)
     */
    public Reply idempotent(IdempotencyKey key, Function<Transaction, Reply> write) {
        if (key == null || write == null) {
            throw new IllegalArgumentException("key and write are required");
        }
        return attempts.transaction(trx -> IdempotencyKeys.applyOnce(trx, key, idempotencyTtl, () -> write.apply(new Transaction(trx))));
    }

    /**
     * Deletes the idempotency keys that have expired, a batch at a time (each batch its own short
     * transaction, so that a large backlog does not hold locks for long); how many it deleted. Run
     * it now and then (the server does every few minutes): an expired key is already ignored, so
     * this only keeps the table small.
     */
    public int purgeExpiredIdempotencyKeys() {
        int total = 0;
        for (int deleted = IdempotencyKeys.PURGE_BATCH; deleted == IdempotencyKeys.PURGE_BATCH; total += deleted) {
            deleted = attempts.statement(IdempotencyKeys::purgeBatch);
        }
        return total;
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
            checkCausalReads(connection);
            return dialect != null ? dialect : detected;
        } catch (SQLException e) {
            throw new UnavailableException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /**
     * On a Galera node, every statement must first wait for the writes the cluster committed before
     * it (wsrep_sync_wait with READ, UPDATE/DELETE and INSERT: 1 + 2 + 4). Without that, a fleet
     * behind a load balancer breaks read-your-writes: a post created through one node and updated
     * a moment later through another is not found there yet (seen in the cluster tests with
     * wsrep_sync_wait=1, which covers reads but not the UPDATE). SHOW VARIABLES, not @@wsrep_on:
     * MySQL has no such variables and answers with no rows, where selecting them would fail.
     */
    private static void checkCausalReads(Connection connection) throws SQLException {
        String on = null;
        long syncWait = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SHOW VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_sync_wait')");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                if (rows.getString(1).equalsIgnoreCase("wsrep_on")) {
                    on = rows.getString(2);
                } else {
                    syncWait = Long.parseLong(rows.getString(2));
                }
            }
        }
        if ("ON".equalsIgnoreCase(on) && (syncWait & CAUSAL_READS) != CAUSAL_READS) {
            throw new DalException("the database is a Galera cluster node with wsrep_sync_wait=" + syncWait
                    + ", so a write acknowledged through another node may not be visible here yet (an update"
                    + " right after a create through another node would not find the row). Set wsrep_sync_wait="
                    + CAUSAL_READS + " on the nodes, or add sessionVariables=wsrep_sync_wait=" + CAUSAL_READS
                    + " to the JDBC URL.");
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

    /**
     * As {@link DataSourceConnections}, for at most as many callers at once as the semaphore has permits, who take
     * their turns in the order they came ({@link DalOptions#withConnectionLimit} says why). The permit is released
     * after the connection went back to the pool, so the next in line finds it free there.
     */
    private record LimitedConnections(ConnectionProvider pool, Semaphore turns, long waitNanos) implements ConnectionProvider {

        @Override
        public Connection acquire() {
            try {
                if (!turns.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                    throw new UnavailableException("no database connection free within " + waitNanos / 1_000_000 + " ms ("
                            + turns.getQueueLength() + " more calls waiting for one)", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for a database connection", e);
            }
            try {
                return pool.acquire();
            } catch (RuntimeException e) {
                turns.release();
                throw e;
            }
        }

        @Override
        public void release(Connection connection) {
            try {
                pool.release(connection);
            } finally {
                turns.release();
            }
        }
    }
}
