package dev.sqlkit.dal;

import org.jooq.DSLContext;

/**
 * The repositories of one database transaction, handed to the work passed to
 * {@link Dal#transaction}. Everything done through them (and through {@link #dsl()}) commits
 * together, or rolls back together when the work throws. Do not keep it beyond the work.
 */
public final class Transaction {

    private final DSLContext dsl;
    private final OrgRepository orgs;
    private final PostRepository posts;
    private final UserRepository users;

    Transaction(DSLContext dsl) {
        this.dsl = dsl;
        this.orgs = new OrgRepository(dsl);
        this.posts = new PostRepository(dsl);
        this.users = new UserRepository(dsl);
    }

    /** The transaction's own context, for queries of your own inside the same transaction. */
    public DSLContext dsl() {
        return dsl;
    }

    public OrgRepository orgs() {
        return orgs;
    }

    public PostRepository posts() {
        return posts;
    }

    public UserRepository users() {
        return users;
    }
}
