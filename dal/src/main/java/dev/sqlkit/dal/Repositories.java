package dev.sqlkit.dal;

import org.jooq.DSLContext;

/**
 * What {@link Dal} and {@link Transaction} share: the repositories over one context. Code that
 * should work alone or as part of a transaction takes a {@code Repositories}: given the dal, each
 * call is its own unit; given a transaction, the calls join it.
 *
 * <p>The context must already translate errors; {@link Dal} installs the translator once, and a
 * transaction's context, derived from the dal's, inherits it. Sealed: only these two exist.
 */
public abstract sealed class Repositories permits Dal, Transaction {

    private final DSLContext dsl;
    private final OrgRepository orgs;
    private final PostRepository posts;
    private final UserRepository users;

    /** @param attempts how the repositories run their work: retried units of their own, or joined to a transaction */
    Repositories(DSLContext dsl, Attempts attempts) {
        this.dsl = dsl;
        this.orgs = new OrgRepository(attempts);
        this.posts = new PostRepository(attempts);
        this.users = new UserRepository(attempts);
    }

    /**
     * The jOOQ context the repositories run on, for type-safe queries of your own against
     * {@code dev.sqlkit.db.Tables}; their errors arrive as {@link DalException}s too. In a
     * {@link Transaction} it is the transaction's own context, so those queries join the transaction.
     * Queries of your own on the dal's context are not retried: a conflict arrives as
     * {@link TransactionConflictException}; run them in {@link Dal#transaction} to have them retried.
     */
    public DSLContext dsl() {
        return dsl;
    }

    /** Organisations. */
    public OrgRepository orgs() {
        return orgs;
    }

    /** Blog posts. */
    public PostRepository posts() {
        return posts;
    }

    /** Users. */
    public UserRepository users() {
        return users;
    }
}
