package dev.sqlkit.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The workload of an ahead-of-time cache training run ({@code --train}, see the README): JDK 25's
 * {@code -XX:AOTCacheOutput} records the classes loaded and linked and the methods' profiles while
 * the server starts and serves these requests, so that a later start with {@code -XX:AOTCache}
 * skips that work. Requests go through the real socket, reads only: writes are sent malformed, so
 * that their parsing and error paths are trained without changing the database.
 */
final class Training {

    private static final List<String> READS = List.of(
            "/observe/health/ready", "/observe/metrics", "/openapi",
            "/posts?limit=20", "/posts?published=true&limit=20", "/posts/1", "/posts/published/count",
            "/orgs?limit=20", "/orgs/1", "/orgs/by-name/training", "/users?limit=20", "/users/1",
            "/posts/not-a-number", "/no-such-route");

    private static final List<String> MALFORMED_WRITES = List.of("/posts", "/orgs", "/users");

    private Training() {
    }

    /** Sends the workload {@code rounds} times; fails if the server stops answering. */
    static void run(int port, int rounds) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + port;
            for (int round = 0; round < rounds; round++) {
                for (String path : READS) {
                    client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding());
                }
                for (String path : MALFORMED_WRITES) {
                    client.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"title\": 1, \"name\": [}"))
                            .build(), HttpResponse.BodyHandlers.discarding());
                }
            }
        }
    }
}
