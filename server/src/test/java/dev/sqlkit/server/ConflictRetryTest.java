package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.http1.Http1ClientResponse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sqlkit.dal.testing.TestDatabase;

/**
 * A write the database keeps rolling back for a conflict (error 1213, here from a trigger on posts
 * whose title starts with "conflict:", as a Galera cluster reports a lost certification) is retried
 * by the dal, counted in the metrics by cause, and answered 503 with Retry-After once the retries
 * are used up, never 500.
 */
@WithServer
class ConflictRetryTest {

    private static final String RETRIES = "db_retries_total{cause=\"deadlock\",scope=\"application\",}";
    private static final String EXHAUSTED = "db_retries_exhausted_total{cause=\"deadlock\",scope=\"application\",}";

    @BeforeAll
    static void conflictsOnDemand(TestDatabase database) {
        database.failInsertsOfConflictPosts();
    }

    @Test
    void aWriteThatConflictsEveryTimeIs503WithRetryAfterAndTheRetriesAreCounted(RunningServer http) {
        String metricsBefore = http.get("/observe/metrics").body();
        double retriesBefore = sample(metricsBefore, RETRIES).orElseThrow(() -> new AssertionError("no " + RETRIES + " in\n" + metricsBefore));
        double exhaustedBefore = sample(metricsBefore, EXHAUSTED).orElseThrow();

        try (Http1ClientResponse response = http.request(Method.POST, "/posts").contentType(MediaTypes.APPLICATION_JSON)
                .submit("{\"title\":\"conflict:" + UUID.randomUUID() + "\",\"body\":\"b\"}")) {
            assertEquals(503, response.status().code());
            assertEquals("1", response.headers().first(HeaderNames.RETRY_AFTER).orElse(null));
            String body = response.as(String.class);
            assertTrue(body.contains("collided with concurrent changes"), body);
        }

        String metrics = http.get("/observe/metrics").body();
        // The default policy runs the work five times: four retries, then it gives up.
        assertEquals(retriesBefore + 4, sample(metrics, RETRIES).orElseThrow(), metrics);
        assertEquals(exhaustedBefore + 1, sample(metrics, EXHAUSTED).orElseThrow(), metrics);
        assertTrue(metrics.contains("db_retries_total{cause=\"lock_wait_timeout\""), "every cause is shown, at zero too");
        // An ordinary write goes through untouched.
        http.postCreated("/posts", "{\"title\":\"no conflict\",\"body\":\"b\"}");
    }

    private static Optional<Double> sample(String exposition, String series) {
        return exposition.lines()
                .filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }
}
