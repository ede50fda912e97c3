package dev.sqlkit.dal;

import static dev.sqlkit.dal.PostRepository.POST;
import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.POSTS;
import static dev.sqlkit.db.Tables.USERS;
import static org.jooq.Functions.nullOnAllNull;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.row;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Row6;
import org.jooq.SelectField;

import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;
import dev.sqlkit.db.enums.Role;

/**
 * Users: unique by e-mail (case-insensitively). Stateless; get it from {@link Dal#users()} or
 * {@link Transaction#users()}.
 */
public final class UserRepository {

    /** A user's columns in the order of {@link User}'s components: the one list every query reads. */
    private static final Row6<Long, String, String, Role, Long, Instant> COLUMNS =
            row(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT);

    /**
     * A user as a nested record, for the create's read-back and {@link OrgRepository#findWithMembers};
     * finds and pages select {@link #COLUMNS} flat ({@link Columns}). All-NULL columns (the missing
     * side of a LEFT JOIN) map to null, not to a user.
     */
    static final SelectField<User> USER = COLUMNS.mapping(nullOnAllNull(User::new));

    private final Attempts attempts;

    /** @param attempts runs each call as a unit, on a context that translates errors */
    UserRepository(Attempts attempts) {
        this.attempts = attempts;
    }

    /**
     * Creates a user; a null role becomes {@link Role#USER} and {@code createdAt} is the database's time.
     *
     * @throws ConflictException     if the e-mail address is taken
     * @throws InvalidInputException if {@code orgId} names no org
     */
    public User create(NewUser user) {
        if (user == null) {
            throw new InvalidInputException("user", "is required");
        }
        String email = Inputs.email("email", user.email(), USERS.EMAIL);
        String name = Inputs.optional("name", user.name(), USERS.NAME);
        return attempts.insert(dsl -> {
            var insert = dsl.insertInto(USERS)
                    .set(USERS.EMAIL, email)
                    .set(USERS.NAME, name)
                    .set(USERS.ORG_ID, user.orgId());
            // Leaving role out (rather than writing USER) keeps the database's default authoritative.
            var withRole = user.role() == null ? insert : insert.set(USERS.ROLE, user.role());
            return Inserts.returning(dsl, withRole.returningResult(USER));
        });
    }

    public Optional<User> findById(long id) {
        return attempts.statement(dsl -> findById(dsl, id));
    }

    private static Optional<User> findById(DSLContext dsl, long id) {
        return Columns.select(dsl, COLUMNS)
                .from(USERS)
                .where(USERS.ID.eq(id))
                .fetchOptional(mapping(User::new));
    }

    /** Looks a user up by e-mail address, ignoring case as the unique index does. */
    public Optional<User> findByEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        return attempts.statement(dsl -> Columns.select(dsl, COLUMNS)
                .from(USERS)
                .where(USERS.EMAIL.eq(email))
                .fetchOptional(mapping(User::new)));
    }

    /**
     * Sets the name (null clears it) and, unless null, the role, in one statement.
     *
     * @throws NotFoundException if there is no such user
     */
    public User update(long id, UserUpdate update) {
        if (update == null) {
            throw new InvalidInputException("user", "is required");
        }
        String name = Inputs.optional("name", update.name(), USERS.NAME);
        // The update and its read-back in one transaction, retried as a whole.
        return attempts.transaction(dsl -> {
            var setName = dsl.update(USERS)
                    .set(USERS.NAME, name);
            var setNameAndRole = update.role() == null ? setName : setName.set(USERS.ROLE, update.role());
            setNameAndRole
                    .where(USERS.ID.eq(id))
                    .execute();
            return findById(dsl, id).orElseThrow(() -> new NotFoundException("user", id));
        });
    }

    /** Deletes a user; their posts stay, without an author. @throws NotFoundException if absent */
    public void delete(long id) {
        int deleted = attempts.statement(dsl -> dsl.deleteFrom(USERS)
                .where(USERS.ID.eq(id))
                .execute());
        if (deleted == 0) {
            throw new NotFoundException("user", id);
        }
    }

    /** The members of an org in id order, a page at a time. @throws NotFoundException if no such org */
    public Page<User> membersOf(long orgId, PageRequest page) {
        PageRequest request = Inputs.page(page);
        // Two reads, retried together; nothing to half-apply.
        return attempts.statement(dsl -> {
            List<User> members = Columns.select(dsl, COLUMNS)
                    .from(USERS)
                    .where(USERS.ORG_ID.eq(orgId))
                    .and(request.afterId() == null ? noCondition() : USERS.ID.gt(request.afterId()))
                    .orderBy(USERS.ID)
                    .limit(request.limit() + 1)
                    .fetch(mapping(User::new));
            if (members.isEmpty() && !dsl.fetchExists(ORGS, ORGS.ID.eq(orgId))) {
                throw new NotFoundException("org", orgId);
            }
            return Pages.of(members, request, User::id);
        });
    }

    /**
     * A user with all their posts in id order, read in one statement (a LEFT JOIN), never one query
     * per post. See {@link OrgRepository#findWithMembers} for why not MULTISET.
     */
    public Optional<UserWithPosts> findWithPosts(long id) {
        return Relations.parentWithChildren(attempts.statement(dsl -> dsl.select(USER, POST)
                        .from(USERS)
                        .leftJoin(POSTS).on(POSTS.AUTHOR_ID.eq(USERS.ID))
                        .where(USERS.ID.eq(id))
                        .orderBy(POSTS.ID)
                        .fetch()),
                UserWithPosts::new);
    }
}
