package dev.sqlkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Runs the example against a real database: SQLKIT_DB_URL or -Dsqlkit.db.url. Without one it fails
 * rather than skips, so that a build that was meant to check the example cannot pass unchecked.
 */
class MainTest {

    @Test
    void theOrgCreatedThroughTheRepositoryIsSeenByItsLookupAndByTheOwnQuery() {
        String url = Main.configuredUrl().orElseGet(() -> fail(Main.MISSING_URL));
        String orgName = "example-test-" + UUID.randomUUID();

        Main.Outcome outcome;
        try (HikariDataSource dataSource = Main.dataSource(url)) {
            outcome = Main.run(dataSource, orgName);
        }

        assertEquals(orgName, outcome.created().name());
        assertEquals(outcome.created(), outcome.foundByName().orElseThrow(), "findByName returns the org as created");
        assertTrue(outcome.newestOrgs().contains(new Main.OrgMembers(orgName, 1)),
                "the own query lists the new org with its one member: " + outcome.newestOrgs());
    }
}
