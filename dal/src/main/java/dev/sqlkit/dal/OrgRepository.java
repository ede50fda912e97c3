package dev.sqlkit.dal;

import static dev.sqlkit.dal.UserRepository.USER;
import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.USERS;
import static org.jooq.Functions.nullOnAllNull;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.row;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Row5;
import org.jooq.SelectField;

import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;

/** Organisations: unique by name. Stateless; get it from {@link Dal#orgs()} or {@link Transaction#orgs()}. */
public final class OrgRepository {

    /** An org's columns in the order of {@link Org}'s components: the one list every query reads. */
    private static final Row5<Long, String, String, String, Instant> COLUMNS =
            row(ORGS.ID, ORGS.NAME, ORGS.DESCRIPTION, ORGS.URL, ORGS.CREATED_AT);

    /**
     * An org as a nested record, for the create's read-back and {@link #findWithMembers}; finds and pages select {@link #COLUMNS}
     * flat ({@link Columns}). All-NULL columns map to null.
     */
    static final SelectField<Org> ORG = COLUMNS.mapping(nullOnAllNull(Org::new));

    private final Attempts attempts;

    /** @param attempts runs each call as a unit, on a context that translates errors */
    OrgRepository(Attempts attempts) {
        this.attempts = attempts;
    }

    /** Creates an org. @throws ConflictException if the name is taken */
    public Org create(NewOrg org) {
        if (org == null) {
            throw new InvalidInputException("org", "is required");
        }
        String name = Inputs.required("name", org.name(), ORGS.NAME);
        String description = Inputs.present("description", org.description(), ORGS.DESCRIPTION);
        String url = Inputs.optional("url", org.url(), ORGS.URL);
        return attempts.insert(dsl -> Inserts.returning(dsl, dsl.insertInto(ORGS)
                .set(ORGS.NAME, name)
                .set(ORGS.DESCRIPTION, description)
                .set(ORGS.URL, url)
                .returningResult(ORG)));
    }

    public Optional<Org> findById(long id) {
        return attempts.statement(dsl -> findById(dsl, id));
    }

    private static Optional<Org> findById(DSLContext dsl, long id) {
        return Columns.select(dsl, COLUMNS)
                .from(ORGS)
                .where(ORGS.ID.eq(id))
                .fetchOptional(mapping(Org::new));
    }

    public Optional<Org> findByName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return attempts.statement(dsl -> Columns.select(dsl, COLUMNS)
                .from(ORGS)
                .where(ORGS.NAME.eq(name))
                .fetchOptional(mapping(Org::new)));
    }

    /** Orgs in id order, one page at a time. */
    public Page<Org> list(PageRequest page) {
        PageRequest request = Inputs.page(page);
        List<Org> orgs = attempts.statement(dsl -> Columns.select(dsl, COLUMNS)
                .from(ORGS)
                .where(request.afterId() == null ? noCondition() : ORGS.ID.gt(request.afterId()))
                .orderBy(ORGS.ID)
                .limit(request.limit() + 1)
                .fetch(mapping(Org::new)));
        return Pages.of(orgs, request, Org::id);
    }

    /**
     * Replaces an org's name, description and url.
     *
     * @throws NotFoundException if there is no org with this id
     * @throws ConflictException if the new name is another org's
     */
    public Org update(long id, OrgUpdate update) {
        if (update == null) {
            throw new InvalidInputException("org", "is required");
        }
        String name = Inputs.required("name", update.name(), ORGS.NAME);
        String description = Inputs.present("description", update.description(), ORGS.DESCRIPTION);
        String url = Inputs.optional("url", update.url(), ORGS.URL);
        // The update and its read-back in one transaction, retried as a whole. The update count
        // cannot tell "no such row" from "no change" on every driver setting (useAffectedRows), so
        // existence is decided by reading the row back.
        return attempts.transaction(dsl -> {
            dsl.update(ORGS)
                    .set(ORGS.NAME, name)
                    .set(ORGS.DESCRIPTION, description)
                    .set(ORGS.URL, url)
                    .where(ORGS.ID.eq(id))
                    .execute();
            return findById(dsl, id).orElseThrow(() -> new NotFoundException("org", id));
        });
    }

    /** Deletes an org; its members stay, without an org. @throws NotFoundException if absent */
    public void delete(long id) {
        int deleted = attempts.statement(dsl -> dsl.deleteFrom(ORGS)
                .where(ORGS.ID.eq(id))
                .execute());
        if (deleted == 0) {
            throw new NotFoundException("org", id);
        }
    }

    /**
     * An org with all its members in id order, read in one statement (a LEFT JOIN), never one query
     * per member. Not MULTISET: on MySQL and MariaDB jOOQ emulates an ordered MULTISET with
     * GROUP_CONCAT, which needs a second statement raising group_concat_max_len and would otherwise
     * cut large results at the server's limit.
     */
    public Optional<OrgWithMembers> findWithMembers(long id) {
        return Relations.parentWithChildren(attempts.statement(dsl -> dsl.select(ORG, USER)
                        .from(ORGS)
                        .leftJoin(USERS).on(USERS.ORG_ID.eq(ORGS.ID))
                        .where(ORGS.ID.eq(id))
                        .orderBy(USERS.ID)
                        .fetch()),
                OrgWithMembers::new);
    }
}
