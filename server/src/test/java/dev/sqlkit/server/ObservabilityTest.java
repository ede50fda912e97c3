package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void metricsArePrometheusTextPerRouteTemplateWithPoolUsage() {
        http.get("/posts/" + Long.MAX_VALUE);
        http.get("/posts/" + (Long.MAX_VALUE - 1));
        Reply metrics = http.get("/observe/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.contentType().startsWith("text/plain"), metrics.contentType());
        assertTrue(metrics.body().contains("http_server_requests_seconds_count{method=\"GET\",route=\"/posts/{id}\",scope=\"application\",status=\"404\",} 2.0"),
                "one series per route template, not per id");
        http.get("/orgs/by-name/no-such-org");
        assertTrue(http.get("/observe/metrics").body().contains("route=\"/orgs/by-name/{name}\""),
                "routes are labelled as written, not as the regular expression that matches them");
        assertTrue(metrics.body().contains("db_pool_connections_active"));
        assertTrue(metrics.body().contains("db_pool_threads_waiting"));
    }

    @Test
    void theOpenApiDocumentIsServed() {
        Reply document = http.get("/openapi");
        assertEquals(200, document.status());
        assertTrue(document.body().contains("/posts/{id}/publish"), document.body().lines().limit(5).toList().toString());
    }
}
