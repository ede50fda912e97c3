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
 */
public record DalOptions(SQLDialect dialect, RetryPolicy retryPolicy, RetryListener retryListener, Duration idempotencyTtl) {

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
    }

    /** Dialect detected, {@link RetryPolicy#DEFAULT}, no listener, keys kept {@link #DEFAULT_IDEMPOTENCY_TTL}. */
    public static DalOptions defaults() {
        return new DalOptions(null, RetryPolicy.DEFAULT, RetryListener.NONE, DEFAULT_IDEMPOTENCY_TTL);
    }

    public DalOptions withDialect(SQLDialect otherDialect) {
        return new DalOptions(otherDialect, retryPolicy, retryListener, idempotencyTtl);
    }

    public DalOptions withRetryPolicy(RetryPolicy otherPolicy) {
        return new DalOptions(dialect, otherPolicy, retryListener, idempotencyTtl);
    }

    public DalOptions withRetryListener(RetryListener otherListener) {
        return new DalOptions(dialect, retryPolicy, otherListener, idempotencyTtl);
    }

    public DalOptions withIdempotencyTtl(Duration otherTtl) {
        return new DalOptions(dialect, retryPolicy, retryListener, otherTtl);
    }
}
