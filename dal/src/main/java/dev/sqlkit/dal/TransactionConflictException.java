package dev.sqlkit.dal;

/**
 * The database rolled the work back because it collided with a concurrent transaction, and the
 * dal did not (or no longer) run it again: every attempt its {@link RetryPolicy} allows failed,
 * the policy does not retry this {@link Reason}, or the work ran without retries
 * ({@link Dal#transactionOnce}, {@link Dal#dsl()}, a {@link Transaction}'s repositories, whose
 * failure ends the whole transaction). Nothing of the failed attempts is stored; running the same
 * work again later may succeed.
 *
 * <p>Not to be confused with {@link ConflictException}, a value that is taken: retrying that one
 * fails the same way.
 */
public final class TransactionConflictException extends DalException {

    /** Why the database gave up on the transaction. */
    public enum Reason {
        /**
         * Error 1213 / SQLSTATE 40001: InnoDB chose this transaction as a deadlock victim, or on a
         * Galera cluster it lost certification against a write committed on another node (at its
         * COMMIT, or at its next statement).
         */
        DEADLOCK,
        /** Error 1205: a row lock was not granted within {@code innodb_lock_wait_timeout}. */
        LOCK_WAIT_TIMEOUT
    }

    private final Reason reason;
    private final int attempts;

    /**
     * @param reason   what made the last attempt fail
     * @param attempts how many times the work ran, all failing
     * @param cause    the database's error of the last attempt
     */
    public TransactionConflictException(Reason reason, int attempts, Throwable cause) {
        super(describe(reason) + (attempts > 1 ? "; gave up after " + attempts + " attempts" : "")
                + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause);
        this.reason = reason;
        this.attempts = attempts;
    }

    public Reason reason() {
        return reason;
    }

    /** How many times the work ran; 1 when it was not retried. */
    public int attempts() {
        return attempts;
    }

    private static String describe(Reason reason) {
        return switch (reason) {
            case DEADLOCK -> "the transaction collided with a concurrent one (deadlock or lost certification) and was rolled back";
            case LOCK_WAIT_TIMEOUT -> "the transaction waited too long for a row lock held by another one";
        };
    }
}
