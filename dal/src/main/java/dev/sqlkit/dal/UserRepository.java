package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.POSTS;
import static dev.sqlkit.db.Tables.USERS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.noCondition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record12;
import org.jooq.Record6;
import org.jooq.Result;
import org.jooq.SelectSelectStep;

import dev.sqlkit.dal.internal.ErrorTranslator;
import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;
import dev.sqlkit.db.enums.Role;

/** Users: unique by e-mail (case-insensitively). Stateless; share one per {@link DSLContext}. */
public final class UserRepository {

    private final DSLContext dsl;

    public UserRepository(DSLContext dsl) {
        this.dsl = ErrorTranslator.install(dsl);
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
        var insert = dsl.insertInto(USERS)
                .set(USERS.EMAIL, Inputs.email("email", user.email(), USERS.EMAIL))
                .set(USERS.NAME, Inputs.optional("name", user.name(), USERS.NAME))
                .set(USERS.ORG_ID, user.orgId());
        // Leaving role out (rather than writing USER) keeps the database's default authoritative.
        var withRole = user.role() == null ? insert : insert.set(USERS.ROLE, user.role());
        return Inserts.returning(dsl, withRole
                        .returningResult(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT))
                .fetchSingle(mapping(User::new));
    }

    public Optional<User> findById(long id) {
        return selectUser()
                .from(USERS)
                .where(USERS.ID.eq(id))
                .fetchOptional(mapping(User::new));
    }

    /** Looks a user up by e-mail address, ignoring case as the unique index does. */
    public Optional<User> findByEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        return selectUser()
                .from(USERS)
                .where(USERS.EMAIL.eq(email))
                .fetchOptional(mapping(User::new));
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
        var setName = dsl.update(USERS)
                .set(USERS.NAME, Inputs.optional("name", update.name(), USERS.NAME));
        var setNameAndRole = update.role() == null ? setName : setName.set(USERS.ROLE, update.role());
        setNameAndRole
                .where(USERS.ID.eq(id))
                .execute();
        return findById(id).orElseThrow(() -> new NotFoundException("user", id));
    }

    /** Deletes a user; their posts stay, without an author. @throws NotFoundException if absent */
    public void delete(long id) {
        int deleted = dsl.deleteFrom(USERS)
                .where(USERS.ID.eq(id))
                .execute();
        if (deleted == 0) {
            throw new NotFoundException("user", id);
        }
    }

    /** The members of an org in id order, a page at a time. @throws NotFoundException if no such org */
    public Page<User> membersOf(long orgId, PageRequest page) {
        PageRequest request = Inputs.page(page);
        List<User> members = selectUser()
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
    }

    /**
     * A user with all their posts in id order, read in one statement (a LEFT JOIN), never one query
     * per post. See {@link OrgRepository#findWithMembers} for why not MULTISET.
     */
    public Optional<UserWithPosts> findWithPosts(long id) {
        Result<Record12<Long, String, String, Role, Long, Instant, Long, String, String, Boolean, Long, Instant>> rows = dsl
                .select(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT,
                        POSTS.ID, POSTS.TITLE, POSTS.BODY, POSTS.PUBLISHED, POSTS.AUTHOR_ID, POSTS.CREATED_AT)
                .from(USERS)
                .leftJoin(POSTS).on(POSTS.AUTHOR_ID.eq(USERS.ID))
                .where(USERS.ID.eq(id))
                .orderBy(POSTS.ID)
                .fetch();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        User user = mapping(User::new).map(rows.get(0).into(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT));
        List<Post> posts = rows.stream()
                .filter(row -> row.get(POSTS.ID) != null)
                .map(row -> mapping(Post::new).map(row.into(POSTS.ID, POSTS.TITLE, POSTS.BODY, POSTS.PUBLISHED, POSTS.AUTHOR_ID, POSTS.CREATED_AT)))
                .toList();
        return Optional.of(new UserWithPosts(user, posts));
    }

    private SelectSelectStep<Record6<Long, String, String, Role, Long, Instant>> selectUser() {
        return dsl.select(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT);
    }
}
