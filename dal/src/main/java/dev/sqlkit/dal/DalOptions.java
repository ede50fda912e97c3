package dev.sqlkit.dal;

import java.time.Duration;

import org.jooq.SQLDialect;

/**
 * How {@link Dal#create(javax.sql.DataSource, DalOptions)} sets up a dal. Start from
 * {@link #defaults()} and change what differs:
 *
 * <pre>{@code
 * Dal dal = Dal.create(dataSource, DalOptions.defaults()
 *         .withRetryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(3))
 *         .withRetryListener(myMetrics));
 * }</pre>
 *
 * @param dialect       {@code MYSQL} or {@code MARIADB}; null detects it from the server
 * @param retryPolicy   how conflicting transactions are run again
 * @param retryListener told about every retry, for metrics
 * @param idempotencyTtl how long {@link Dal#idempotent} keeps a key (and answers its repeats)
 * @param connectionLimit at most this many of the dal's calls hold or ask for a connection at once, the others
 *                      waiting their turn in arrival order; 0 for no limit (see {@link #withConnectionLimit})
 * @param connectionWait how long a call waits for its turn before it fails with {@link UnavailableException}
 *                      (read only with a limit)
 */
public record DalOptions(SQLDialect dialect, RetryPolicy retryPolicy, RetryListener retryListener, Duration idempotencyTtl,
                         int connectionLimit, Duration connectionWait) {

    /**
     * A day: longer than any client's retries last (the IETF draft leaves the time to the server
     * and asks it to say it), short enough that the table stays small.
     */
    public static final Duration DEFAULT_IDEMPOTENCY_TTL = Duration.ofHours(24);

    /** @throws IllegalArgumentException if the policy or the listener is null, or the time to live not positive */
    public DalOptions {
        if (retryPolicy == null) {
            throw new IllegalArgumentException("retryPolicy is required (RetryPolicy.NEVER turns retries off)");
        }
        if (retryListener == null) {
            throw new IllegalArgumentException("retryListener is required (RetryListener.NONE hears nothing)");
        }
        if (idempotencyTtl == null || idempotencyTtl.isNegative() || idempotencyTtl.isZero()) {
            throw new IllegalArgumentException("idempotencyTtl must be positive, not " + idempotencyTtl);
        }
        if (connectionLimit < 0) {
            throw new IllegalArgumentException("connectionLimit must be 0 (no limit) or more, not " + connectionLimit);
        }
        if (connectionWait == null || connectionWait.isNegative() || connectionWait.isZero()) {
            throw new IllegalArgumentException("connectionWait must be positive, not " + connectionWait);
        }
    }

    /**
     * Dialect detected, {@link RetryPolicy#DEFAULT}, no listener, keys kept {@link #DEFAULT_IDEMPOTENCY_TTL}, no
     * connection limit.
     */
    public static DalOptions defaults() {
        return new DalOptions(null, RetryPolicy.DEFAULT, RetryListener.NONE, DEFAULT_IDEMPOTENCY_TTL, 0, Duration.ofSeconds(30));
    }

    public DalOptions withDialect(SQLDialect otherDialect) {
        return new DalOptions(otherDialect, retryPolicy, retryListener, idempotencyTtl, connectionLimit, connectionWait);
    }

    public DalOptions withRetryPolicy(RetryPolicy otherPolicy) {
        return new DalOptions(dialect, otherPolicy, retryListener, idempotencyTtl, connectionLimit, connectionWait);
    }

    public DalOptions withRetryListener(RetryListener otherListener) {
        return new DalOptions(dialect, retryPolicy, otherListener, idempotencyTtl, connectionLimit, connectionWait);
    }

    public DalOptions withIdempotencyTtl(Duration otherTtl) {
        return new DalOptions(dialect, retryPolicy, retryListener, otherTtl, connectionLimit, connectionWait);
    }

    /**
     * Lets at most {@code limit} calls hold or ask for a connection at once; the rest wait in the order they came, at
     * most {@code wait} each. Set it to the pool's size. Why: a pool does not serve its waiters in order. HikariCP
     * lets a caller that just arrived take a connection that was just returned, ahead of those already waiting for
     * one, so when requests outnumber connections some wait many times longer than the rest (measured on
     * {@code GET /posts/{id}} at 64 connections on a pool of 16: p99 677 ms, against 12 ms for the Vert.x peer
     * in bench/, whose requests queue in order). Behind this limit the pool always has a free connection for whoever
     * asks: on the same load p99 fell from 114–124 ms to 21–24 ms and throughput rose by a sixth (less spinning in
     * the pool's hand-off).
     *
     * @param limit at most this many at once; 0 for no limit
     * @param wait  how long a call waits for its turn before failing with {@link UnavailableException}
     */
    public DalOptions withConnectionLimit(int limit, Duration wait) {
        return new DalOptions(dialect, retryPolicy, retryListener, idempotencyTtl, limit, wait);
    }
}
