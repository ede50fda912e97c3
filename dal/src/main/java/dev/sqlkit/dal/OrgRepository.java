package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.USERS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.noCondition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record11;
import org.jooq.Record5;
import org.jooq.Result;
import org.jooq.SelectSelectStep;

import dev.sqlkit.dal.internal.ErrorTranslator;
import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;
import dev.sqlkit.db.enums.Role;

/** Organisations: unique by name. Stateless; share one per {@link DSLContext}. */
public final class OrgRepository {

    private final DSLContext dsl;

    /** Repositories built on the given context; errors are translated to {@link DalException}s. */
    public OrgRepository(DSLContext dsl) {
        this.dsl = ErrorTranslator.install(dsl);
    }

    /** Creates an org. @throws ConflictException if the name is taken */
    public Org create(NewOrg org) {
        NewOrg valid = validate(org);
        return Inserts.returning(dsl, dsl.insertInto(ORGS)
                        .set(ORGS.NAME, valid.name())
                        .set(ORGS.DESCRIPTION, valid.description())
                        .set(ORGS.URL, valid.url())
                        .returningResult(ORGS.ID, ORGS.NAME, ORGS.DESCRIPTION, ORGS.URL, ORGS.CREATED_AT))
                .fetchSingle(mapping(Org::new));
    }

    public Optional<Org> findById(long id) {
        return selectOrg()
                .from(ORGS)
                .where(ORGS.ID.eq(id))
                .fetchOptional(mapping(Org::new));
    }

    public Optional<Org> findByName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return selectOrg()
                .from(ORGS)
                .where(ORGS.NAME.eq(name))
                .fetchOptional(mapping(Org::new));
    }

    /** Orgs in id order, one page at a time. */
    public Page<Org> list(PageRequest page) {
        PageRequest request = Inputs.page(page);
        List<Org> orgs = selectOrg()
                .from(ORGS)
                .where(request.afterId() == null ? noCondition() : ORGS.ID.gt(request.afterId()))
                .orderBy(ORGS.ID)
                .limit(request.limit() + 1)
                .fetch(mapping(Org::new));
        return Pages.of(orgs, request, Org::id);
    }

    /**
     * Replaces an org's name, description and url.
     *
     * @throws NotFoundException if there is no org with this id
     * @throws ConflictException if the new name is another org's
     */
    public Org update(long id, NewOrg values) {
        NewOrg valid = validate(values);
        dsl.update(ORGS)
                .set(ORGS.NAME, valid.name())
                .set(ORGS.DESCRIPTION, valid.description())
                .set(ORGS.URL, valid.url())
                .where(ORGS.ID.eq(id))
                .execute();
        // The update count cannot tell "no such row" from "no change" on every driver setting
        // (useAffectedRows), so existence is decided by reading the row back.
        return findById(id).orElseThrow(() -> new NotFoundException("org", id));
    }

    /** Deletes an org; its members stay, without an org. @throws NotFoundException if absent */
    public void delete(long id) {
        int deleted = dsl.deleteFrom(ORGS)
                .where(ORGS.ID.eq(id))
                .execute();
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
        Result<Record11<Long, String, String, String, Instant, Long, String, String, Role, Long, Instant>> rows = dsl
                .select(ORGS.ID, ORGS.NAME, ORGS.DESCRIPTION, ORGS.URL, ORGS.CREATED_AT,
                        USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT)
                .from(ORGS)
                .leftJoin(USERS).on(USERS.ORG_ID.eq(ORGS.ID))
                .where(ORGS.ID.eq(id))
                .orderBy(USERS.ID)
                .fetch();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Org org = mapping(Org::new).map(rows.get(0).into(ORGS.ID, ORGS.NAME, ORGS.DESCRIPTION, ORGS.URL, ORGS.CREATED_AT));
        List<User> members = rows.stream()
                .filter(row -> row.get(USERS.ID) != null)
                .map(row -> mapping(User::new).map(row.into(USERS.ID, USERS.EMAIL, USERS.NAME, USERS.ROLE, USERS.ORG_ID, USERS.CREATED_AT)))
                .toList();
        return Optional.of(new OrgWithMembers(org, members));
    }

    private SelectSelectStep<Record5<Long, String, String, String, Instant>> selectOrg() {
        return dsl.select(ORGS.ID, ORGS.NAME, ORGS.DESCRIPTION, ORGS.URL, ORGS.CREATED_AT);
    }

    private static NewOrg validate(NewOrg org) {
        if (org == null) {
            throw new InvalidInputException("org", "is required");
        }
        return new NewOrg(
                Inputs.required("name", org.name(), ORGS.NAME),
                Inputs.present("description", org.description(), ORGS.DESCRIPTION),
                Inputs.optional("url", org.url(), ORGS.URL));
    }
}
