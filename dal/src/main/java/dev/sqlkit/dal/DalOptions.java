package dev.sqlkit.dal;

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
 */
public record DalOptions(SQLDialect dialect, RetryPolicy retryPolicy, RetryListener retryListener) {

    /** @throws IllegalArgumentException if the policy or the listener is null */
    public DalOptions {
        if (retryPolicy == null) {
            throw new IllegalArgumentException("retryPolicy is required (RetryPolicy.NEVER turns retries off)");
        }
        if (retryListener == null) {
            throw new IllegalArgumentException("retryListener is required (RetryListener.NONE hears nothing)");
        }
    }

    /** Dialect detected, {@link RetryPolicy#DEFAULT}, no listener. */
    public static DalOptions defaults() {
        return new DalOptions(null, RetryPolicy.DEFAULT, RetryListener.NONE);
    }

    public DalOptions withDialect(SQLDialect otherDialect) {
        return new DalOptions(otherDialect, retryPolicy, retryListener);
    }

    public DalOptions withRetryPolicy(RetryPolicy otherPolicy) {
        return new DalOptions(dialect, otherPolicy, retryListener);
    }

    public DalOptions withRetryListener(RetryListener otherListener) {
        return new DalOptions(dialect, retryPolicy, otherListener);
    }
}
