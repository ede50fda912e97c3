package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.ORGS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.db.enums.Role;

@ExtendWith(DatabaseExtension.class)
class TransactionTest {

    private final Dal dal;

    TransactionTest(Dal dal) {
        this.dal = dal;
    }

    @Test
    void repositoriesOfOneTransactionCommitTogether() {
        String name = "org-" + UUID.randomUUID();
        User admin = dal.transactionResult(trx -> {
            Org org = trx.orgs().create(new NewOrg(name, "", null));
            return trx.users().create(new NewUser("admin-" + UUID.randomUUID() + "@x.test", "Admin", Role.ADMIN, org.id()));
        });
        Org org = dal.orgs().findByName(name).orElseThrow();
        assertEquals(org.id(), admin.orgId());
        assertEquals(admin, dal.users().findById(admin.id()).orElseThrow());
    }

    @Test
    void aFailureRollsBackEverythingTheWorkDid() {
        String email = "taken-" + UUID.randomUUID() + "@x.test";
        dal.users().create(new NewUser(email));
        String name = "org-" + UUID.randomUUID();
        long postsBefore = dal.posts().countPublished();

        ConflictException conflict = assertThrows(ConflictException.class, () -> dal.transaction(trx -> {
            Org org = trx.orgs().create(new NewOrg(name, "", null));
            trx.posts().create(new NewPost("published in the doomed transaction", "", true, null));
            trx.users().create(new NewUser(email, null, null, org.id()));
        }));
        assertEquals("email", conflict.field());
        assertTrue(dal.orgs().findByName(name).isEmpty(), "the org must be rolled back");
        assertEquals(postsBefore, dal.posts().countPublished(), "the post must be rolled back");
    }

    @Test
    void anExceptionOfTheCallerRollsBackAndArrivesUnchanged() {
        String name = "org-" + UUID.randomUUID();
        IllegalStateException mine = new IllegalStateException("changed my mind");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> dal.transaction(trx -> {
            trx.orgs().create(new NewOrg(name, "", null));
            throw mine;
        }));
        assertSame(mine, thrown);
        assertTrue(dal.orgs().findByName(name).isEmpty());
    }

    @Test
    void ownQueriesOnTheTransactionsContextShareTheTransaction() {
        String name = "org-" + UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> dal.transaction(trx -> {
            trx.dsl().insertInto(ORGS)
                    .set(ORGS.NAME, name)
                    .set(ORGS.DESCRIPTION, "")
                    .execute();
            assertTrue(trx.orgs().findByName(name).isPresent(), "visible inside the transaction");
            throw new IllegalStateException("roll back");
        }));
        assertTrue(dal.orgs().findByName(name).isEmpty());
    }
}
