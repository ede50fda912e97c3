package dev.sqlkit.dal;

import dev.sqlkit.dal.TransactionConflictException.Reason;

/**
 * Told when the dal runs work again after a {@link TransactionConflictException}, and when it gives
 * up: the hook for metrics (the dal itself depends on no metrics library). Called on the thread that
 * runs the work, between attempts, so it must be quick and must not throw. Give it to
 * {@link Dal#create(javax.sql.DataSource, DalOptions)} through {@link DalOptions#withRetryListener}.
 */
public interface RetryListener {

    /** Hears nothing. */
    RetryListener NONE = new RetryListener() {
    };

    /**
     * Attempt number {@code failedAttempt} failed for {@code reason} and the work will run again,
     * after a short wait.
     */
    default void onRetry(Reason reason, int failedAttempt) {
    }

    /**
     * The work failed {@code attempts} times, the last one for {@code reason}, and the dal gives up:
     * the caller gets a {@link TransactionConflictException}. Not called for work that is never
     * retried (a retry policy of one attempt, or a lock wait timeout the policy does not retry).
     */
    default void onGiveUp(Reason reason, int attempts) {
    }
}
