package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;

import org.junit.jupiter.api.Test;

import dev.sqlkit.server.RunningServer.Reply;

/** The requests the replaced services' clients send, replayed against the drop-in routes. */
@WithServer
class LegacyRoutesTest {

    private final RunningServer http;

    LegacyRoutesTest(RunningServer http) {
        this.http = http;
    }

    @Test
    void organisationsApiRoundTrip() {
        Reply info = http.get("/api/info");
        assertEquals(200, info.status());
        assertEquals("sqlkit", info.json().getString("name"));

        String name = "legacy-" + UUID.randomUUID();
        Reply created = http.post("/api/org", "{\"name\":\"" + name + "\",\"description\":\"desc\",\"url\":\"https://l.test\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject org = created.json();
        assertEquals(Set.of("id", "name", "description", "url", "created_at"), org.keySet());
        long id = org.getJsonNumber("id").longValue();

        JsonArray list = Json.createReader(new StringReader(http.get("/api/org/list").body())).readArray();
        assertTrue(list.stream().anyMatch(item -> item.asJsonObject().getJsonNumber("id").longValue() == id));

        assertEquals(org, http.get("/api/org/" + name).json());

        Reply updated = http.put("/api/org", "{\"id\":" + id + ",\"name\":\"" + name + "-2\",\"description\":\"new\",\"url\":null,\"created_at\":\"2020-01-01T00:00:00Z\"}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals(name + "-2", updated.json().getString("name"));
        assertEquals(org.getString("created_at"), updated.json().getString("created_at"), "created_at cannot be rewritten");

        assertEquals(204, http.delete("/api/org/" + id).status());
        assertEquals(404, http.get("/api/org/" + name + "-2").status(), "404 where the original answered 500");
        assertEquals(404, http.delete("/api/org/" + id).status());
    }

    @Test
    void theListRouteWinsOverAnOrgNamedListWhichStaysReachableByName() {
        int status = http.post("/api/org", "{\"name\":\"list\",\"description\":\"named list\"}").status();
        assertTrue(status == 201 || status == 409, "created now or by another test: " + status);
        assertTrue(http.get("/api/org/list").body().startsWith("["), "the list, as in the original");
        assertEquals("named list", http.get("/orgs/by-name/list").json().getString("description"));
    }

    @Test
    void postsApiRoundTrip() {
        Reply created = http.post("/post", "{\"title\":\"t\",\"body\":\"b\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject post = created.json();
        assertEquals(Set.of("id", "title", "body", "published"), post.keySet());
        assertEquals(false, post.getBoolean("published"));
        long id = post.getJsonNumber("id").longValue();

        assertEquals(post, http.get("/post/" + id).json());
        Reply published = http.patch("/post/" + id);
        assertEquals(200, published.status(), published.body());
        assertEquals(true, published.json().getBoolean("published"));

        Reply count = http.get("/count-post");
        assertEquals(200, count.status());
        assertTrue(count.contentType().startsWith("text/plain"), count.contentType());
        long publishedCount = http.get("/posts/published/count").json().getJsonNumber("count").longValue();
        assertEquals("Have " + publishedCount + " posts", count.body());

        assertEquals(204, http.delete("/post/" + id).status());
        assertEquals(404, http.get("/post/" + id).status());
        assertEquals(404, http.patch("/post/" + id).status());
    }

    @Test
    void concurrentCreatesEachAnswerWithTheirOwnPost() throws InterruptedException {
        // The replaced service answered a create with the row of the highest id, which under
        // concurrency is often someone else's: every answer here must carry what its request sent.
        ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20; i++) {
                    String title = "mine " + UUID.randomUUID();
                    Reply created = http.post("/post", "{\"title\":\"" + title + "\",\"body\":\"\"}");
                    if (created.status() != 201 || !title.equals(created.json().getString("title"))) {
                        mismatches.add(title + " -> " + created.status() + " " + created.body());
                    }
                }
            }));
        }
        start.countDown();
        for (Thread client : clients) {
            client.join();
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " creates answered with another post: " + mismatches.peek());
    }
}
