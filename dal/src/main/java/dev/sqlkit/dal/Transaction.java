package dev.sqlkit.dal;

import org.jooq.DSLContext;

/**
 * The repositories of one database transaction, handed to the work passed to
 * {@link Dal#transaction}. Everything done through them (and through {@link #dsl()}) commits
 * together, or rolls back together when the work throws. Do not keep it beyond the work.
 *
 * <p>Its repositories never retry by themselves: when the database rolls the transaction back for a
 * conflict, their {@link TransactionConflictException} must leave the work (do not catch it there),
 * and {@link Dal#transaction} runs the whole work again.
 */
public final class Transaction extends Repositories {

    /** @param trx the transaction's own context, derived from the dal's (so errors are translated) */
    Transaction(DSLContext trx) {
        super(trx, Attempts.joined(trx));
    }
}
