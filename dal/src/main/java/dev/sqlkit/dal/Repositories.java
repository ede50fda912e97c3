package dev.sqlkit.dal;

import org.jooq.DSLContext;

/**
 * What {@link Dal} and {@link Transaction} share: the repositories over one context. The context
 * must already translate errors; {@link Dal} installs the translator once, and a transaction's
 * context, derived from the dal's, inherits it.
 *
 * <p>The accessors are not {@code final} on purpose: javac then gives the two public subclasses
 * public copies of them, so that reflection from other packages reaches them too. Sealed, with
 * final subclasses, nothing can override them anyway.
 */
abstract sealed class Repositories permits Dal, Transaction {

    private final DSLContext dsl;
    private final OrgRepository orgs;
    private final PostRepository posts;
    private final UserRepository users;

    Repositories(DSLContext dsl) {
        this.dsl = dsl;
        this.orgs = new OrgRepository(dsl);
        this.posts = new PostRepository(dsl);
        this.users = new UserRepository(dsl);
    }

    /**
     * The jOOQ context the repositories run on, for type-safe queries of your own against
     * {@code dev.sqlkit.db.Tables}; their errors arrive as {@link DalException}s too. In a
     * {@link Transaction} it is the transaction's own context, so those queries join the transaction.
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
