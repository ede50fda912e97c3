package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.db.enums.Role;

@ExtendWith(DatabaseExtension.class)
class UserRepositoryTest {

    private final Dal dal;
    private final UserRepository users;

    UserRepositoryTest(Dal dal) {
        this.dal = dal;
        this.users = dal.users();
    }

    private static String email() {
        return "u-" + UUID.randomUUID() + "@example.test";
    }

    @Test
    void roleDefaultsToUserAndNameIsOptional() {
        String email = email();
        User user = users.create(new NewUser(email));
        assertEquals(email, user.email());
        assertNull(user.name());
        assertEquals(Role.USER, user.role());
        assertNull(user.orgId());
        assertTrue(user.createdAt() != null);
        assertEquals(user, users.findById(user.id()).orElseThrow());
    }

    @Test
    void allValuesCanBeGiven() {
        Org org = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "", null));
        User user = users.create(new NewUser(email(), "Ada", Role.ADMIN, org.id()));
        assertEquals("Ada", user.name());
        assertEquals(Role.ADMIN, user.role());
        assertEquals(org.id(), user.orgId());
    }

    @Test
    void emailIsUniqueIgnoringCase() {
        String email = email();
        users.create(new NewUser(email));
        ConflictException conflict = assertThrows(ConflictException.class, () -> users.create(new NewUser(email.toUpperCase())));
        assertEquals("user", conflict.entity());
        assertEquals("email", conflict.field());
        assertEquals(email.toUpperCase(), conflict.value());
    }

    @Test
    void findByEmailIgnoresCase() {
        User user = users.create(new NewUser(email()));
        assertEquals(user, users.findByEmail(user.email().toUpperCase()).orElseThrow());
        assertTrue(users.findByEmail(email()).isEmpty());
        assertTrue(users.findByEmail(null).isEmpty());
    }

    @Test
    void updateChangesNameAndRole() {
        User user = users.create(new NewUser(email(), "Old", null, null));
        User updated = users.update(user.id(), new UserUpdate("New", Role.ADMIN));
        assertEquals(new User(user.id(), user.email(), "New", Role.ADMIN, null, user.createdAt()), updated);
        User cleared = users.update(user.id(), new UserUpdate(null, null));
        assertNull(cleared.name(), "a null name clears it");
        assertEquals(Role.ADMIN, cleared.role(), "a null role keeps it");
        assertThrows(NotFoundException.class, () -> users.update(Long.MAX_VALUE, new UserUpdate("x", Role.USER)));
    }

    @Test
    void deleteRemovesTheUserAndKeepsTheirPostsWithoutAuthor() {
        User user = users.create(new NewUser(email()));
        Post post = dal.posts().create(new NewPost("mine", "", false, user.id()));
        users.delete(user.id());
        assertTrue(users.findById(user.id()).isEmpty());
        assertNull(dal.posts().findById(post.id()).orElseThrow().authorId());
        assertEquals("user", assertThrows(NotFoundException.class, () -> users.delete(user.id())).entity());
    }

    @Test
    void membersOfAnOrgArePagedInIdOrder() {
        Org org = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "", null));
        Org other = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "", null));
        List<Long> members = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            members.add(users.create(new NewUser(email(), null, null, org.id())).id());
            users.create(new NewUser(email(), null, null, other.id()));
        }
        List<Long> seen = new ArrayList<>();
        for (PageRequest request = PageRequest.first(2); request != null; ) {
            Page<User> page = users.membersOf(org.id(), request);
            page.items().forEach(user -> seen.add(user.id()));
            request = request.next(page);
        }
        assertEquals(members, seen);
    }

    @Test
    void anOrgWithoutMembersHasAnEmptyPageAndAnUnknownOrgIsNotFound() {
        Org empty = dal.orgs().create(new NewOrg("org-" + UUID.randomUUID(), "", null));
        assertTrue(users.membersOf(empty.id(), PageRequest.first(10)).items().isEmpty());
        assertEquals("org", assertThrows(NotFoundException.class, () -> users.membersOf(Long.MAX_VALUE, PageRequest.first(10))).entity());
    }

    @Test
    void invalidValuesNameTheField() {
        assertEquals("email", assertThrows(InvalidInputException.class, () -> users.create(new NewUser(null))).field());
        assertEquals("email", assertThrows(InvalidInputException.class, () -> users.create(new NewUser("no-at-sign"))).field());
        assertEquals("email", assertThrows(InvalidInputException.class, () -> users.create(new NewUser("a b@example.test"))).field());
        assertEquals("email", assertThrows(InvalidInputException.class, () -> users.create(new NewUser("x".repeat(310) + "@example.test"))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> users.create(new NewUser(email(), "n".repeat(256), null, null))).field());
        InvalidInputException unknownOrg = assertThrows(InvalidInputException.class, () -> users.create(new NewUser(email(), null, null, Long.MAX_VALUE)));
        assertEquals("orgId", unknownOrg.field());
    }
}
