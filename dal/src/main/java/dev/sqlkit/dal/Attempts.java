package dev.sqlkit.dal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

import dev.sqlkit.dal.internal.ErrorTranslator;
import dev.sqlkit.dal.internal.Inserts;

/**
 * How a repository call's work runs: as one unit that is run again from the start when the database
 * rolls it back for colliding with a concurrent transaction ({@link TransactionConflictException}).
 *
 * <p>Two kinds. The dal's own repositories are <em>outermost</em>: each call is its own unit, in
 * autocommit when it is one statement (or only reads), in one transaction when it writes and reads
 * back, and retried as a whole by the {@link RetryPolicy}. A {@link Transaction}'s repositories are
 * <em>joined</em>: their work runs once on the transaction's context, and a conflict propagates to
 * the transaction, which is the unit that is retried (a retry of one statement inside a transaction
 * the database has already rolled back would run outside it).
 *
 * <p>The happy path costs one branch and the work's lambda: no exception, no clock, no allocation
 * beyond that.
 */
record Attempts(DSLContext dsl, RetryPolicy policy, RetryListener listener, boolean isJoined) {

    /** Units of their own on the dal's context, retried by {@code policy}. */
    static Attempts outermost(DSLContext dsl, RetryPolicy policy, RetryListener listener) {
        return new Attempts(dsl, policy, listener, false);
    }

    /** Work that joins the transaction of {@code trx} and runs once; the transaction retries. */
    static Attempts joined(DSLContext trx) {
        return new Attempts(trx, RetryPolicy.NEVER, RetryListener.NONE, true);
    }

    /**
     * Work of one statement, or of reads only, which cannot be half-applied: in autocommit, run
     * again as a whole after a conflict.
     */
    <T> T statement(Function<DSLContext, T> work) {
        if (isJoined) {
            return work.apply(dsl);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return work.apply(dsl);
            } catch (TransactionConflictException conflict) {
                pauseOrGiveUp(conflict, attempt);
            }
        }
    }

    /** Work of several statements that must apply together: one transaction, run again as a whole. */
    <T> T transaction(Function<DSLContext, T> work) {
        if (isJoined) {
            return work.apply(dsl);
        }
        return transaction(work, policy);
    }

    /** As {@link #transaction(Function)}, with a policy of the caller's (the dal's opt-out). */
    <T> T transaction(Function<DSLContext, T> work, RetryPolicy retries) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inOneTransaction(work);
            } catch (TransactionConflictException conflict) {
                pauseOrGiveUp(conflict, attempt, retries);
            }
        }
    }

    /**
     * An INSERT that reads its row back: on MariaDB one statement ({@code INSERT ... RETURNING}),
     * whose failure leaves no row, so autocommit is enough; on MySQL an INSERT and a SELECT, run in
     * one transaction so that a conflict on the SELECT cannot leave a row that the retry inserts again.
     */
    <T> T insert(Function<DSLContext, T> work) {
        return Inserts.hasReturning(dsl) ? statement(work) : transaction(work);
    }

    private <T> T inOneTransaction(Function<DSLContext, T> work) {
        try {
            return dsl.transactionResult(trx -> work.apply(trx.dsl()));
        } catch (DataAccessException e) {
            // Statements are translated by the ErrorTranslator, but COMMIT is not a statement: a
            // Galera certification failure at COMMIT arrives here as jOOQ's exception.
            throw ErrorTranslator.translate(e);
        }
    }

    private void pauseOrGiveUp(TransactionConflictException conflict, int attempt) {
        pauseOrGiveUp(conflict, attempt, policy);
    }

    private void pauseOrGiveUp(TransactionConflictException conflict, int attempt, RetryPolicy retries) {
        if (!retries.isRetried(conflict.reason(), attempt)) {
            if (attempt == 1) {
                throw conflict;
            }
            listener.onGiveUp(conflict.reason(), attempt);
            throw new TransactionConflictException(conflict.reason(), attempt, conflict.getCause());
        }
        listener.onRetry(conflict.reason(), attempt);
        long nanos = retries.backoffNanos(attempt);
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
            if (Thread.currentThread().isInterrupted()) {
                // Whoever interrupted wants this thread back: stop retrying, keep the flag.
                throw conflict;
            }
        }
    }
}
