package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** server.access-log: one line per request with the route template, never ids, query values or tokens. */
@ExtendWith(DatabaseExtension.class)
class AccessLogTest {

    private static final String TOKEN = "access-" + "log-token-5c1e9a77";
    private static final Logger ACCESS = Logger.getLogger("dev.sqlkit.server.access");

    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (lines) {
                lines.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        ACCESS.addHandler(capture);
    }

    @AfterEach
    void release() {
        ACCESS.removeHandler(capture);
    }

    private List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private List<String> awaitLines(int count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (lines().size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return lines();
    }

    /**
     * A write the token check turns away never reaches its route, so its template is unknown: it is
     * logged as "unmatched", as in the metrics, rather than with its path.
     */
    @Test
    void onOneLinePerRequestWithTheRouteTemplateAndNoSecrets(TestDatabase database) {
        try (RunningServer http = RunningServer.on(database, Map.of("server.access-log", "true", "auth.token", TOKEN))) {
            long id = RunningServer.read(http.request(Method.POST, "/posts?secret=query-value-417")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + TOKEN)
                    .contentType(MediaTypes.APPLICATION_JSON)
                    .submit("{\"title\":\"t\",\"body\":\"b\"}")).id();
            assertEquals(200, http.get("/posts/" + id + "?q=another-value-929").status());
            assertEquals(404, http.get("/orgs/by-name/nobody-named-this").status());
            assertEquals(401, RunningServer.read(http.request(Method.DELETE, "/posts/" + id).request()).status());

            // The line is written once the answer has been sent, so it may trail the client's read a little.
            List<String> logged = awaitLines(4);
            assertEquals(List.of(), logged.stream().filter(line -> !line.matches("[A-Z]+ \\S+ \\d{3} \\d+\\.\\d{2}ms")).toList(),
                    "every line is: method route status duration");
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("POST /posts/ 201 ")), logged.toString());
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("GET /posts/{id} 200 ")), logged.toString());
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("GET /orgs/by-name/{name} 404 ")), logged.toString());
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("DELETE unmatched 401 ")), logged.toString());
            String all = String.join("\n", logged);
            for (String secret : List.of(TOKEN, "query-value-417", "another-value-929", "nobody-named-this", "/posts/" + id)) {
                assertFalse(all.contains(secret), "the access log shows " + secret + ":\n" + all);
            }
        }
    }

    @Test
    void offByDefault(TestDatabase database) throws InterruptedException {
        try (RunningServer http = RunningServer.on(database)) {
            // A line is written just before the request counts in the metrics: the count is the barrier.
            String series = "http_server_requests_seconds_count{method=\"GET\",route=\"/posts/{id}\",scope=\"application\",status=\"404\",}";
            double before = ObservabilityTest.sample(http.get("/observe/metrics").body(), series).orElse(0.0);
            assertEquals(404, http.get("/posts/" + Long.MAX_VALUE).status());
            for (long deadline = System.nanoTime() + 5_000_000_000L;
                 ObservabilityTest.sample(http.get("/observe/metrics").body(), series).orElse(0.0) < before + 1; ) {
                assertTrue(System.nanoTime() < deadline, "the request never showed in the metrics");
                Thread.sleep(20);
            }
        }
        assertEquals(List.of(), lines());
    }
}
