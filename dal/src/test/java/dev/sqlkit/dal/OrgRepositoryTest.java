package dev.sqlkit.dal;

import static org.jooq.impl.DSL.currentLocalDateTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

@ExtendWith(DatabaseExtension.class)
class OrgRepositoryTest {

    private final OrgRepository orgs;
    private final TestDatabase database;

    OrgRepositoryTest(Dal dal, TestDatabase database) {
        this.orgs = dal.orgs();
        this.database = database;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void createReturnsTheStoredOrgWithItsIdAndTheDatabasesTimestamp() {
        Instant before = Instant.now().minusSeconds(5);
        String name = unique("acme");
        Org org = orgs.create(new NewOrg(name, "Rockets and anvils", "https://acme.test"));
        assertTrue(org.id() > 0);
        assertEquals(name, org.name());
        assertEquals("Rockets and anvils", org.description());
        assertEquals("https://acme.test", org.url());
        assertTrue(org.createdAt().isAfter(before) && org.createdAt().isBefore(Instant.now().plusSeconds(5)),
                "createdAt is the database's UTC time: " + org.createdAt());
        assertEquals(org, orgs.findById(org.id()).orElseThrow());
    }

    @Test
    void urlIsOptionalAndDescriptionMayBeEmpty() {
        Org org = orgs.create(new NewOrg(unique("no-url"), "", null));
        assertNull(org.url());
        assertEquals("", orgs.findById(org.id()).orElseThrow().description());
    }

    @Test
    void findByNameFindsExactlyThatOrgEvenWhenItsNameLooksLikeARoute() {
        Org list = orgs.findByName("list").orElseGet(() -> orgs.create(new NewOrg("list", "named like a route", null)));
        assertEquals(list.id(), orgs.findByName("list").orElseThrow().id());
        assertTrue(orgs.findByName(unique("absent")).isEmpty());
        assertTrue(orgs.findByName(null).isEmpty());
    }

    @Test
    void unknownIdsAreEmptyOrNotFound() {
        assertTrue(orgs.findById(Long.MAX_VALUE).isEmpty());
        NotFoundException update = assertThrows(NotFoundException.class,
                () -> orgs.update(Long.MAX_VALUE, new OrgUpdate(unique("x"), "", null)));
        assertEquals("org", update.entity());
        assertThrows(NotFoundException.class, () -> orgs.delete(Long.MAX_VALUE));
    }

    @Test
    void aDuplicateNameIsAConflictNamingTheField() {
        String name = unique("taken");
        orgs.create(new NewOrg(name, "first", null));
        ConflictException conflict = assertThrows(ConflictException.class, () -> orgs.create(new NewOrg(name, "second", null)));
        assertEquals("org", conflict.entity());
        assertEquals("name", conflict.field());
        assertEquals(name, conflict.value());
        assertTrue(conflict.getMessage().contains("an org with name '" + name + "' already exists"), conflict.getMessage());
    }

    @Test
    void updateReplacesAllValuesAndRejectsAnotherOrgsName() {
        Org org = orgs.create(new NewOrg(unique("old"), "old", "https://old.test"));
        String newName = unique("new");
        Org updated = orgs.update(org.id(), new OrgUpdate(newName, "new", null));
        assertEquals(new Org(org.id(), newName, "new", null, org.createdAt()), updated);
        assertEquals(updated, orgs.findById(org.id()).orElseThrow());
        assertEquals(updated, orgs.update(org.id(), new OrgUpdate(newName, "new", null)), "an unchanged update is no error");

        Org other = orgs.create(new NewOrg(unique("other"), "", null));
        ConflictException conflict = assertThrows(ConflictException.class,
                () -> orgs.update(other.id(), new OrgUpdate(newName, "", null)));
        assertEquals("name", conflict.field());
    }

    @Test
    void deleteRemovesTheOrgAndASecondDeleteIsNotFound() {
        Org org = orgs.create(new NewOrg(unique("doomed"), "", null));
        orgs.delete(org.id());
        assertTrue(orgs.findById(org.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> orgs.delete(org.id()));
    }

    @Test
    void deletingAnOrgKeepsItsMembersWithoutAnOrg(Dal dal) {
        Org org = orgs.create(new NewOrg(unique("parent"), "", null));
        User member = dal.users().create(new NewUser(unique("m") + "@example.test", "M", null, org.id()));
        orgs.delete(org.id());
        assertNull(dal.users().findById(member.id()).orElseThrow().orgId());
    }

    @Test
    void listPagesThroughEveryOrgInIdOrderWithoutGapsOrRepeats() {
        try (TestDatabase own = database.another(true)) {
            OrgRepository fresh = own.dal().orgs();
            List<Long> created = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                created.add(fresh.create(new NewOrg("org-" + i, "", null)).id());
            }
            List<Long> seen = new ArrayList<>();
            PageRequest request = PageRequest.first(3);
            int pages = 0;
            while (request != null) {
                Page<Org> page = fresh.list(request);
                assertTrue(page.items().size() <= 3);
                page.items().forEach(org -> seen.add(org.id()));
                request = request.next(page);
                pages++;
            }
            assertEquals(created, seen);
            assertEquals(3, pages);
            Page<Org> last = fresh.list(PageRequest.after(created.get(6), 3));
            assertTrue(last.items().isEmpty());
            assertFalse(last.hasNext());
        }
    }

    @Test
    void invalidValuesAreRejectedNamingTheField() {
        assertEquals("name", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg(null, "", null))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg("   ", "", null))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg("n".repeat(256), "", null))).field());
        assertEquals("description", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg(unique("d"), null, null))).field());
        assertEquals("url", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg(unique("u"), "", "h".repeat(2049)))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> orgs.create(new NewOrg("bad\uD800", "", null))).field());
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> PageRequest.first(0)).field());
        assertEquals("limit", assertThrows(InvalidInputException.class, () -> PageRequest.first(PageRequest.MAX_LIMIT + 1)).field());
    }

    @Test
    void limitsCountCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE80".repeat(255); // 255 characters, 510 UTF-16 units, 1020 bytes
        Org org = orgs.create(new NewOrg(emoji.substring(0, 508) + "Z", "", null));
        assertEquals(255, org.name().codePointCount(0, org.name().length()));
        assertEquals(org.name(), orgs.findById(org.id()).orElseThrow().name());
    }

    @Test
    void createdAtIsWithinASecondOfTheDatabaseClock(Dal dal) {
        Org created = orgs.create(new NewOrg(unique("clock"), "", null));
        Instant databaseNow = dal.dsl().select(currentLocalDateTime()).fetchSingle().value1().toInstant(ZoneOffset.UTC);
        assertTrue(Duration.between(created.createdAt(), databaseNow).abs().toSeconds() < 5);
    }
}
