package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;
import dev.sqlkit.server.RunningServer.Reply;

/**
 * A mixed read/write workload over all three resources from concurrent clients, for at least
 * {@code sqlkit.load.seconds} (default 60): no 5xx, and afterwards every acknowledged write reads
 * back exactly as acknowledged. Each client only changes rows it created, so the expected final
 * state of every row is known without guessing at interleavings.
 */
@ExtendWith(DatabaseExtension.class)
class LoadWithoutLossTest {

    private static final Duration DURATION = Duration.ofSeconds(Long.getLong("sqlkit.load.seconds", 60));
    private static final int CLIENTS = 8;
    private static final String TEXT = "caf\u00e9 \u4e2d\u6587 \u05e9\u05dc\u05d5\u05dd \uD83D\uDE80 'q' \"dq\" \\ ; -- %_";

    private static RunningServer http;

    @BeforeAll
    static void start(TestDatabase database) {
        http = RunningServer.on(database, Map.of("database.pool.size", "8"));
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    /** What the server acknowledged last for a row; {@code null} fields of a deleted row are unused. */
    private record Expected(String path, Map<String, JsonValue> fields, boolean isDeleted) {
    }

    @Test
    void aMixedLoadLosesNoAcknowledgedWrite() throws Exception {
        ConcurrentHashMap<String, Expected> expected = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong requests = new AtomicLong();
        long deadline = System.nanoTime() + DURATION.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                Client client = new Client(expected, failures, requests);
                while (System.nanoTime() < deadline && failures.size() < 20) {
                    client.step();
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.stream().limit(5).toList());

        long verified = 0;
        for (Expected row : expected.values()) {
            Reply reply = http.get(row.path());
            if (row.isDeleted()) {
                assertEquals(404, reply.status(), row.path() + " was deleted: " + reply.body());
            } else {
                assertEquals(200, reply.status(), row.path() + ": " + reply.body());
                JsonObject stored = reply.json();
                for (var field : row.fields().entrySet()) {
                    assertEquals(field.getValue(), stored.get(field.getKey()), row.path() + " " + field.getKey());
                }
            }
            verified++;
        }
        System.out.printf("load: %d requests in %d s from %d clients (%.0f/s), no 5xx; %d acknowledged rows verified%n",
                requests.get(), DURATION.toSeconds(), CLIENTS, requests.get() / (double) DURATION.toSeconds(), verified);
        assertTrue(verified > 100, "the load wrote too little to prove anything: " + verified);
    }

    @Test
    void racingCreatesOfOneUniqueValueGiveExactlyOne201() throws Exception {
        String name = "race-" + UUID.randomUUID();
        List<Integer> orgStatuses = race(() -> http.post("/orgs", "{\"name\":\"" + name + "\",\"description\":\"\"}").status());
        assertEquals(1, orgStatuses.stream().filter(status -> status == 201).count(), orgStatuses.toString());
        assertEquals(orgStatuses.size() - 1, orgStatuses.stream().filter(status -> status == 409).count(), orgStatuses.toString());

        String email = "race-" + UUID.randomUUID() + "@x.test";
        List<Integer> userStatuses = race(() -> http.post("/users", "{\"email\":\"" + email + "\"}").status());
        assertEquals(1, userStatuses.stream().filter(status -> status == 201).count(), userStatuses.toString());
        assertEquals(userStatuses.size() - 1, userStatuses.stream().filter(status -> status == 409).count(), userStatuses.toString());
    }

    private static List<Integer> race(java.util.function.IntSupplier request) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    statuses.add(request.getAsInt());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return List.copyOf(statuses);
    }

    /** One client: creates rows, changes and deletes only its own, and reads anything. */
    private static final class Client {

        private final ConcurrentHashMap<String, Expected> expected;
        private final ConcurrentLinkedQueue<String> failures;
        private final AtomicLong requests;
        private final List<String> posts = new ArrayList<>();
        private final List<String> orgs = new ArrayList<>();

        Client(ConcurrentHashMap<String, Expected> expected, ConcurrentLinkedQueue<String> failures, AtomicLong requests) {
            this.expected = expected;
            this.failures = failures;
            this.requests = requests;
        }

        void step() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int dice = random.nextInt(100);
            String unique = UUID.randomUUID().toString();
            if (dice < 30 || posts.isEmpty()) {
                String title = "post " + unique;
                Reply reply = call(http.post("/posts", "{\"title\":\"" + title + "\",\"body\":" + json(TEXT + unique) + "}"), 201);
                if (reply != null) {
                    posts.add(reply.location());
                    expect(reply.location(), Map.of("title", string(title), "body", string(TEXT + unique), "published", JsonValue.FALSE));
                }
            } else if (dice < 40) {
                String post = posts.get(random.nextInt(posts.size()));
                if (call(http.post(post + "/publish", ""), 200) != null) {
                    Expected before = expected.get(post);
                    Map<String, JsonValue> fields = new java.util.HashMap<>(before.fields());
                    fields.put("published", JsonValue.TRUE);
                    expect(post, fields);
                }
            } else if (dice < 50) {
                String post = posts.get(random.nextInt(posts.size()));
                String title = "edited " + unique;
                Reply reply = call(http.put(post, "{\"title\":\"" + title + "\",\"body\":" + json(unique + TEXT) + "}"), 200);
                if (reply != null) {
                    expect(post, Map.of("title", string(title), "body", string(unique + TEXT),
                            "published", reply.json().get("published")));
                }
            } else if (dice < 55) {
                String post = posts.remove(random.nextInt(posts.size()));
                if (call(http.delete(post), 204) != null) {
                    expected.put(post, new Expected(post, Map.of(), true));
                }
            } else if (dice < 60) {
                String name = "org " + unique;
                Reply reply = call(http.post("/orgs", "{\"name\":\"" + name + "\",\"description\":" + json(TEXT) + ",\"url\":\"https://x.test/" + unique + "\"}"), 201);
                if (reply != null) {
                    orgs.add(reply.location());
                    expect(reply.location(), Map.of("name", string(name), "description", string(TEXT),
                            "url", string("https://x.test/" + unique)));
                }
            } else if (dice < 63 && !orgs.isEmpty()) {
                String org = orgs.get(random.nextInt(orgs.size()));
                String name = "renamed " + unique;
                if (call(http.put(org, "{\"name\":\"" + name + "\",\"description\":\"d\",\"url\":null}"), 200) != null) {
                    expect(org, Map.of("name", string(name), "description", string("d"), "url", JsonValue.NULL));
                }
            } else if (dice < 68 && !orgs.isEmpty()) {
                String org = orgs.get(random.nextInt(orgs.size()));
                long orgId = Long.parseLong(org.substring(org.lastIndexOf('/') + 1));
                String email = unique + "@load.test";
                Reply reply = call(http.post("/users", "{\"email\":\"" + email + "\",\"name\":" + json(TEXT) + ",\"role\":\"ADMIN\",\"org_id\":" + orgId + "}"), 201);
                if (reply != null) {
                    expect(reply.location(), Map.of("email", string(email), "name", string(TEXT), "role", string("ADMIN"),
                            "org_id", reply.json().get("org_id")));
                }
            } else if (dice < 75) {
                call(http.get("/posts?limit=20&after=" + random.nextInt(1000)), 200);
            } else {
                Reply reply = http.get("/posts/" + (1 + random.nextInt(5000)));
                requests.incrementAndGet();
                if (reply.status() != 200 && reply.status() != 404) {
                    failures.add("GET /posts/{id}: " + reply.status() + " " + reply.body());
                }
            }
        }

        private void expect(String path, Map<String, JsonValue> fields) {
            expected.put(path, new Expected(path, fields, false));
        }

        private Reply call(Reply reply, int status) {
            requests.incrementAndGet();
            if (reply.status() != status) {
                failures.add("expected " + status + " but got " + reply.status() + ": " + reply.body());
                return null;
            }
            return reply;
        }

        private static JsonValue string(String text) {
            return jakarta.json.Json.createValue(text);
        }

        private static String json(String text) {
            return string(text).toString();
        }
    }
}
