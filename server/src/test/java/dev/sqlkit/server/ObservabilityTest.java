package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sqlkit.server.RunningServer.Reply;

@WithServer
class ObservabilityTest {

    private final RunningServer http;

    ObservabilityTest(RunningServer http) {
        this.http = http;
    }

    @Test
    void livenessAndReadinessAreUpWithTheDatabaseChecked() {
        assertEquals(200, http.get("/observe/health/live").status());
        Reply ready = http.get("/observe/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().contains("\"name\":\"database\",\"status\":\"UP\""), ready.body());
    }

    @Test
    void metricsArePrometheusTextPerRouteTemplateWithPoolUsage() throws InterruptedException {
        // The registry is process-wide and other test classes also ask for missing posts, so compare
        // counts; the filter records a request just after its response is written, hence the wait.
        String series = "http_server_requests_seconds_count{method=\"GET\",route=\"/posts/{id}\",scope=\"application\",status=\"404\",}";
        double before = sample(http.get("/observe/metrics").body(), series).orElse(0.0);
        assertEquals(404, http.get("/posts/" + Long.MAX_VALUE).status());
        assertEquals(404, http.get("/posts/" + (Long.MAX_VALUE - 1)).status());
        Reply metrics = http.get("/observe/metrics");
        for (long deadline = System.nanoTime() + 5_000_000_000L;
             sample(metrics.body(), series).orElse(0.0) < before + 2 && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
            metrics = http.get("/observe/metrics");
        }
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        assertEquals(before + 2, sample(metrics.body(), series).orElse(0.0), "one series per route template, not per id");
        assertFalse(metrics.body().contains(String.valueOf(Long.MAX_VALUE)), "no series is labelled with an id");
        http.get("/orgs/by-name/no-such-org");
        assertTrue(http.get("/observe/metrics").body().contains("route=\"/orgs/by-name/{name}\""),
                "routes are labelled as written, not as the regular expression that matches them");
        assertTrue(sample(metrics.body(), "db_pool_connections_total").orElse(0.0) > 0,
                "the pool gauges report this server's open pool, not one closed by an earlier server");
        assertTrue(metrics.body().contains("db_pool_connections_active"));
        assertTrue(metrics.body().contains("db_pool_threads_waiting"));
    }

    /** The value of the first Prometheus sample named {@code series}, or with exactly those name and labels. */
    static Optional<Double> sample(String exposition, String series) {
        return exposition.lines()
                .filter(line -> line.startsWith(series + " ") || !series.contains("{") && line.startsWith(series + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    @Test
    void theOpenApiDocumentIsServed() {
        Reply document = http.get("/openapi");
        assertEquals(200, document.status());
        assertTrue(document.body().contains("/posts/{id}/publish"), document.body().lines().limit(5).toList().toString());
    }
}
