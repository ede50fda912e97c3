package dev.sqlkit.dal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.sqlkit.dal.TransactionConflictException.Reason;

/**
 * How often the dal runs work again that the database rolled back for colliding with a concurrent
 * transaction ({@link TransactionConflictException}), and how long it waits in between.
 *
 * <p>Between attempts it waits a random time between zero and {@code baseBackoff * 2^(n-1)} after
 * the n-th failure, never more than {@code maxBackoff} ("full jitter"): colliding writers then
 * spread out instead of meeting again at the same moment.
 *
 * @param maxAttempts               how many times the work runs at most, the first included (1: never again)
 * @param baseBackoff               the upper bound of the first wait
 * @param maxBackoff                the upper bound of any wait
 * @param isLockWaitTimeoutRetried  whether a lock wait timeout (1205) is retried too; off by default,
 *                                  because each attempt may wait {@code innodb_lock_wait_timeout}
 *                                  (50 s by default) again before failing
 */
public record RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff, boolean isLockWaitTimeoutRetried) {

    /**
     * Five attempts, waits of at most 20, 40, 80, 160 ms: a conflict on a Galera cluster or an InnoDB
     * deadlock resolves in milliseconds, and a request should not wait much longer than that.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(500), false);

    /** Every work runs exactly once; a conflict arrives as {@link TransactionConflictException} at once. */
    public static final RetryPolicy NEVER = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, false);

    /** @throws IllegalArgumentException naming the bad component */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be 1 to 100, was " + maxAttempts);
        }
        if (baseBackoff == null || baseBackoff.isNegative()) {
            throw new IllegalArgumentException("baseBackoff must be zero or positive, was " + baseBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(baseBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least baseBackoff (" + baseBackoff + "), was " + maxBackoff);
        }
    }

    /** This policy with another number of attempts. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseBackoff, maxBackoff, isLockWaitTimeoutRetried);
    }

    /** This policy with other bounds on the waits. */
    public RetryPolicy withBackoff(Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, base, max, isLockWaitTimeoutRetried);
    }

    /** This policy retrying lock wait timeouts (1205), or not. */
    public RetryPolicy withLockWaitTimeoutRetried(boolean isRetried) {
        return new RetryPolicy(maxAttempts, baseBackoff, maxBackoff, isRetried);
    }

    /** Whether work that failed for {@code reason} on attempt {@code attempt} runs again. */
    boolean isRetried(Reason reason, int attempt) {
        return attempt < maxAttempts && (reason == Reason.DEADLOCK || isLockWaitTimeoutRetried);
    }

    /** The wait after the {@code failedAttempt}-th failure, in nanoseconds. */
    long backoffNanos(int failedAttempt) {
        long bound = baseBackoff.toNanos() << Math.min(failedAttempt - 1, 30);
        if (bound <= 0 || bound > maxBackoff.toNanos()) {
            bound = maxBackoff.toNanos();
        }
        return bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
    }
}
