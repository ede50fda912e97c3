package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.db.enums.Role;

/** Relations come back whole, in one statement each: never one query per member or post. */
@ExtendWith(DatabaseExtension.class)
class RelationsTest {

    private final Dal dal;
    private final AtomicInteger statements = new AtomicInteger();
    private final OrgRepository countedOrgs;
    private final UserRepository countedUsers;

    RelationsTest(Dal dal, DSLContext dsl) {
        this.dal = dal;
        DSLContext counted = dsl.configuration()
                .deriveAppending(ExecuteListener.onExecuteStart(ctx -> statements.incrementAndGet()))
                .dsl();
        this.countedOrgs = new OrgRepository(Attempts.joined(counted));
        this.countedUsers = new UserRepository(Attempts.joined(counted));
    }

    @Test
    void anOrgComesWithAllItsMembersInOneStatement() {
        Org org = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "with members", null));
        User first = dal.users().create(new NewUser("a-" + UUID.randomUUID() + "@x.test", "A \uD83D\uDE00", Role.ADMIN, org.id()));
        User second = dal.users().create(new NewUser("b-" + UUID.randomUUID() + "@x.test", null, null, org.id()));
        dal.users().create(new NewUser("c-" + UUID.randomUUID() + "@x.test"));

        statements.set(0);
        OrgWithMembers found = countedOrgs.findWithMembers(org.id()).orElseThrow();
        assertEquals(1, statements.get());
        assertEquals(org, found.org());
        assertEquals(List.of(first, second), found.members(), "members equal to what was stored, timestamps included");
    }

    @Test
    void anOrgWithoutMembersHasAnEmptyList() {
        Org org = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "", null));
        assertEquals(List.of(), dal.orgs().findWithMembers(org.id()).orElseThrow().members());
        assertTrue(dal.orgs().findWithMembers(Long.MAX_VALUE).isEmpty());
    }

    @Test
    void aUserComesWithAllTheirPostsInOneStatement() {
        User author = dal.users().create(new NewUser("w-" + UUID.randomUUID() + "@x.test"));
        Post draft = dal.posts().create(new NewPost("draft", "\u05E9\u05DC\u05D5\u05DD", false, author.id()));
        Post live = dal.posts().create(new NewPost("live", "\u4F60\u597D", true, author.id()));
        dal.posts().create(new NewPost("someone else's", ""));

        statements.set(0);
        UserWithPosts found = countedUsers.findWithPosts(author.id()).orElseThrow();
        assertEquals(1, statements.get());
        assertEquals(author, found.user());
        assertEquals(List.of(draft, live), found.posts());
        assertTrue(countedUsers.findWithPosts(Long.MAX_VALUE).isEmpty());
    }

    @Test
    void aUserWithoutPostsHasAnEmptyList() {
        User user = dal.users().create(new NewUser("n-" + UUID.randomUUID() + "@x.test"));
        assertEquals(new UserWithPosts(user, List.of()), dal.users().findWithPosts(user.id()).orElseThrow());
    }
}
