package dev.sqlkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.sqlkit.cluster.Http.Reply;

/**
 * Scenario 1, conflicts across nodes: two instances, each attached to another node first, and
 * concurrent clients that update, publish and delete the same posts and create the same org names
 * and e-mails through both at the same moment, for {@code sqlkit.cluster.loadSeconds} (default 60).
 * What a user must not notice: a 5xx (a 503 would mean the dal's retries ran out), a unique name
 * created twice or not at all, an acknowledged write missing, nodes that disagree.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ConflictsAcrossNodesTest {

    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("sqlkit.cluster.loadSeconds", 60));
    private static final int CLIENTS = 8;
    /** Posts the clients pick from: the most recently created ones, so that they collide on them. */
    private static final int HOT_POSTS = 30;
    /** Every client aims at the same org name and e-mail during one slot of this many milliseconds. */
    private static final long NAME_SLOT_MILLIS = 200;

    /** Started one after the other: concurrent start-up is a scenario of its own (ConcurrentStartupTest). */
    @RegisterExtension
    static final Fleet fleet = new Fleet("conflicts", 2);

    /** A post everybody works on, and what the server said about it. */
    private static final class SharedPost {
        final long id;
        final String initialContent;
        /** title + NUL + body of every update acknowledged with 200. */
        final Set<String> acknowledgedContents = ConcurrentHashMap.newKeySet();
        /** Updates whose outcome the client cannot know (no answer, or a 5xx). */
        final Set<String> uncertainContents = ConcurrentHashMap.newKeySet();
        volatile boolean isPublishAcknowledged;
        volatile boolean isDeleteAcknowledged;
        volatile boolean isDeleteUncertain;

        SharedPost(long id, String initialContent) {
            this.id = id;
            this.initialContent = initialContent;
        }
    }

    /** Every answer to the creation of one org name or e-mail. */
    private static final class Contended {
        final Queue<Long> createdIds = new ConcurrentLinkedQueue<>();
        final AtomicInteger conflicts = new AtomicInteger();
        final Queue<String> others = new ConcurrentLinkedQueue<>();
    }

    private final List<SharedPost> posts = new ArrayList<>();
    private final Map<String, Contended> orgNames = new ConcurrentHashMap<>();
    private final Map<String, Contended> emails = new ConcurrentHashMap<>();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong uncertainCreates = new AtomicLong();
    private long loadStarted;

    @Test
    void conflictingWritesOnTwoNodesAreAllAppliedOnceAndTheNodesAgree() throws Exception {
        for (int i = 0; i < HOT_POSTS; i++) {
            createPost(fleet.instances().get(i % 2), "seed");
        }
        assertTrue(problems.isEmpty(), "seeding failed: " + problems);
        double retriesBefore = sum("db_retries_total");
        double exhaustedBefore = sum("db_retries_exhausted_total");

        loadStarted = System.nanoTime();
        long deadline = loadStarted + LOAD.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().name("client-" + c).start(() -> {
                long step = 0;
                while (System.nanoTime() < deadline && problems.size() < 50) {
                    step(client + "-" + step++);
                }
            }));
        }
        for (Thread client : clients) {
            assertTrue(client.join(LOAD.plus(Duration.ofSeconds(90))), client.getName() + " did not finish");
        }
        double retries = sum("db_retries_total") - retriesBefore;
        double exhausted = sum("db_retries_exhausted_total") - exhaustedBefore;

        Figures.record("conflicts_requests", String.valueOf(requests.get()));
        Figures.record("conflicts_writes", String.valueOf(writes.get()));
        Figures.record("conflicts_retries", String.valueOf((long) retries));
        Figures.record("conflicts_retries_per_write", retries / Math.max(1, writes.get()));
        Figures.record("conflicts_503", String.valueOf(unavailable.get()));

        assertEquals(0, serverErrors.get(), serverErrors.get() + " answers were 5xx (" + unavailable.get()
                + " of them 503: the dal's retries ran out " + (long) exhausted + " times); first problems: " + first(problems));
        assertTrue(problems.isEmpty(), problems.size() + " unexpected answers, first: " + first(problems));
        assertUniqueCreates("org name", orgNames);
        assertUniqueCreates("e-mail", emails);

        Map<String, String> digests = fleet.galera().assertNodesAgree(fleet.database());
        System.out.println("conflicts: the three nodes agree: " + digests);
        assertAcknowledgedWritesStored();
    }

    /** One request of a client: a random operation through a random instance. */
    private void step(String tag) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ServerProcess instance = fleet.instances().get(random.nextInt(fleet.instances().size()));
        int dice = random.nextInt(100);
        try {
            if (dice < 25) {
                updatePost(instance, hotPost(), tag);
            } else if (dice < 40) {
                publishPost(instance, hotPost());
            } else if (dice < 45) {
                deletePost(instance, hotPost());
            } else if (dice < 55) {
                createPost(instance, tag);
            } else if (dice < 75) {
                String name = "org-" + fleet.run() + "-" + slot();
                createContended(instance, "/orgs", Http.json("name", name, "description", "made by " + tag), orgNames, name);
            } else if (dice < 95) {
                String email = "u" + slot() + "@" + fleet.run() + ".test";
                createContended(instance, "/users", Http.json("email", email, "name", tag), emails, email);
            } else {
                SharedPost post = hotPost();
                Reply reply = call(instance, "GET", "/posts/" + post.id, null);
                expect(reply, "GET post", 200, 404);
            }
        } catch (IOException e) {
            problems.add(instance + ": no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long slot() {
        return (System.nanoTime() - loadStarted) / TimeUnit.MILLISECONDS.toNanos(NAME_SLOT_MILLIS);
    }

    private SharedPost hotPost() {
        synchronized (posts) {
            int from = Math.max(0, posts.size() - HOT_POSTS);
            return posts.get(ThreadLocalRandom.current().nextInt(from, posts.size()));
        }
    }

    private void createPost(ServerProcess instance, String tag) throws IOException, InterruptedException {
        String title = "post " + tag;
        String body = "body of " + tag;
        writes.incrementAndGet();
        Reply reply;
        try {
            reply = call(instance, "POST", "/posts", Http.json("title", title, "body", body));
        } catch (IOException e) {
            uncertainCreates.incrementAndGet();
            throw e;
        }
        if (expect(reply, "create post", 201)) {
            SharedPost post = new SharedPost(reply.json().getJsonNumber("id").longValue(), title + '\0' + body);
            synchronized (posts) {
                posts.add(post);
            }
        } else {
            uncertainCreates.incrementAndGet();
        }
    }

    private void updatePost(ServerProcess instance, SharedPost post, String tag) throws IOException, InterruptedException {
        String title = "updated " + tag;
        String body = "update " + tag;
        writes.incrementAndGet();
        Reply reply;
        try {
            reply = call(instance, "PUT", "/posts/" + post.id, Http.json("title", title, "body", body));
        } catch (IOException e) {
            post.uncertainContents.add(title + '\0' + body);
            throw e;
        }
        if (reply.status() == 200) {
            post.acknowledgedContents.add(title + '\0' + body);
        } else if (!expect(reply, "update post", 404)) {
            post.uncertainContents.add(title + '\0' + body);
        }
    }

    private void publishPost(ServerProcess instance, SharedPost post) throws IOException, InterruptedException {
        writes.incrementAndGet();
        Reply reply = call(instance, "POST", "/posts/" + post.id + "/publish", null);
        if (reply.status() == 200) {
            post.isPublishAcknowledged = true;
        } else {
            expect(reply, "publish post", 404);
        }
    }

    private void deletePost(ServerProcess instance, SharedPost post) throws IOException, InterruptedException {
        writes.incrementAndGet();
        Reply reply;
        try {
            reply = call(instance, "DELETE", "/posts/" + post.id, null);
        } catch (IOException e) {
            post.isDeleteUncertain = true;
            throw e;
        }
        if (reply.status() == 204) {
            post.isDeleteAcknowledged = true;
        } else if (!expect(reply, "delete post", 404)) {
            post.isDeleteUncertain = true;
        }
    }

    private void createContended(ServerProcess instance, String path, String json, Map<String, Contended> tally, String key)
            throws IOException, InterruptedException {
        writes.incrementAndGet();
        Contended contended = tally.computeIfAbsent(key, k -> new Contended());
        Reply reply;
        try {
            reply = call(instance, "POST", path, json);
        } catch (IOException e) {
            contended.others.add("no answer: " + e);
            throw e;
        }
        switch (reply.status()) {
            case 201 -> contended.createdIds.add(reply.json().getJsonNumber("id").longValue());
            case 409 -> contended.conflicts.incrementAndGet();
            default -> {
                contended.others.add(instance + ": " + reply);
                expect(reply, "create " + path, 201, 409);
            }
        }
    }

    private Reply call(ServerProcess instance, String method, String path, String json) throws IOException, InterruptedException {
        requests.incrementAndGet();
        URI uri = instance.uri(path);
        return Http.send(method, uri, json);
    }

    /** True when the status is one of the expected; otherwise notes the problem (and counts a 5xx). */
    private boolean expect(Reply reply, String what, int... statuses) {
        for (int status : statuses) {
            if (reply.status() == status) {
                return true;
            }
        }
        if (reply.isServerError()) {
            serverErrors.incrementAndGet();
            if (reply.status() == 503) {
                unavailable.incrementAndGet();
            }
        }
        problems.add(what + ": " + reply);
        return false;
    }

    private double sum(String counter) throws IOException, InterruptedException {
        double sum = 0;
        for (ServerProcess instance : fleet.instances()) {
            sum += Http.counter(instance, counter);
        }
        return sum;
    }

    /** Per name: exactly one 201, every other attempt 409; and the database holds that one row. */
    private void assertUniqueCreates(String what, Map<String, Contended> tally) {
        List<String> wrong = new ArrayList<>();
        int contendedNames = 0;
        for (Map.Entry<String, Contended> entry : tally.entrySet()) {
            Contended contended = entry.getValue();
            if (contended.createdIds.size() != 1 || !contended.others.isEmpty()) {
                wrong.add(entry.getKey() + ": " + contended.createdIds.size() + " times 201, " + contended.conflicts.get()
                        + " times 409, other answers " + contended.others);
            }
            if (contended.conflicts.get() > 0) {
                contendedNames++;
            }
        }
        System.out.println("conflicts: " + tally.size() + " " + what + "s, " + contendedNames + " of them created concurrently more than once");
        assertTrue(wrong.isEmpty(), wrong.size() + " " + what + "s not created exactly once: " + first(wrong));
        assertTrue(contendedNames > 0, "no " + what + " was contended: the test did not exercise conflicts");
    }

    /** Every acknowledged write is in the database (node 1, which holds what every node holds). */
    private void assertAcknowledgedWritesStored() throws Exception {
        Map<Long, String> contents = new HashMap<>();
        Set<Long> published = new HashSet<>();
        Map<String, Long> orgIds = new HashMap<>();
        Map<String, Long> userIds = new HashMap<>();
        try (Connection connection = fleet.galera().connect(1); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id, title, body, published FROM `" + fleet.database() + "`.posts")) {
                while (rows.next()) {
                    contents.put(rows.getLong(1), rows.getString(2) + '\0' + rows.getString(3));
                    if (rows.getBoolean(4)) {
                        published.add(rows.getLong(1));
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT name, id FROM `" + fleet.database() + "`.orgs")) {
                while (rows.next()) {
                    orgIds.put(rows.getString(1), rows.getLong(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT email, id FROM `" + fleet.database() + "`.users")) {
                while (rows.next()) {
                    userIds.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        List<String> lost = new ArrayList<>();
        Set<Long> known = new HashSet<>();
        int deleted = 0;
        int updated = 0;
        for (SharedPost post : posts) {
            known.add(post.id);
            String stored = contents.get(post.id);
            if (post.isDeleteAcknowledged) {
                deleted++;
                if (stored != null) {
                    lost.add("post " + post.id + " was deleted (204) but is still there");
                }
                continue;
            }
            if (stored == null) {
                if (!post.isDeleteUncertain) {
                    lost.add("post " + post.id + " (created 201, never deleted) is missing");
                }
                continue;
            }
            if (post.isPublishAcknowledged && !published.contains(post.id)) {
                lost.add("post " + post.id + " was published (200) but is not");
            }
            Set<String> allowed = new HashSet<>(post.acknowledgedContents);
            allowed.addAll(post.uncertainContents);
            if (post.acknowledgedContents.isEmpty()) {
                allowed.add(post.initialContent);
            } else {
                updated++;
            }
            if (!allowed.contains(stored)) {
                lost.add("post " + post.id + " holds '" + stored.replace('\0', '|') + "', none of its acknowledged updates");
            }
        }
        if (uncertainCreates.get() == 0) {
            Set<Long> unknown = new HashSet<>(contents.keySet());
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                lost.add("posts nobody was told were created: " + first(new ArrayList<>(unknown)));
            }
        }
        compareCreated("org", orgNames, orgIds, lost);
        compareCreated("user", emails, userIds, lost);
        System.out.println("conflicts: checked " + posts.size() + " posts (" + deleted + " deleted, " + updated + " updated, "
                + published.size() + " published), " + orgIds.size() + " orgs, " + userIds.size() + " users against node 1");
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged writes not in the database: " + first(lost));
    }

    /** The database holds exactly the rows whose creation was answered 201, with the ids answered. */
    private static void compareCreated(String entity, Map<String, Contended> tally, Map<String, Long> stored, List<String> lost) {
        for (Map.Entry<String, Contended> entry : tally.entrySet()) {
            Long created = entry.getValue().createdIds.peek();
            Long storedId = stored.get(entry.getKey());
            if (created != null && !created.equals(storedId)) {
                lost.add(entity + " '" + entry.getKey() + "' was created as " + created + " but the database holds " + storedId);
            }
        }
        for (String key : stored.keySet()) {
            if (!tally.containsKey(key) || tally.get(key).createdIds.isEmpty()) {
                lost.add(entity + " '" + key + "' is stored but no client was told it was created");
            }
        }
    }

    private static String first(java.util.Collection<?> items) {
        return items.stream().limit(8).toList().toString();
    }
}
