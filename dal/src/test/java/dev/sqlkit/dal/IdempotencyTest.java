package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.IDEMPOTENCY_KEYS;
import static dev.sqlkit.db.Tables.POSTS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** Writes applied at most once per idempotency key, on a real database. */
@ExtendWith(DatabaseExtension.class)
class IdempotencyTest {

    private final Dal dal;
    private final TestDatabase database;

    IdempotencyTest(Dal dal, TestDatabase database) {
        this.dal = dal;
        this.database = database;
    }

    @Test
    void aRepeatGetsTheFirstReplyAndWritesNothing() {
        String title = "once-" + UUID.randomUUID();
        IdempotencyKey key = key(UUID.randomUUID().toString(), title);
        AtomicInteger runs = new AtomicInteger();

        Reply first = dal.idempotent(key, trx -> {
            runs.incrementAndGet();
            return created(trx.posts().create(new NewPost(title, "")));
        });
        Reply repeat = dal.idempotent(key, trx -> {
            runs.incrementAndGet();
            return created(trx.posts().create(new NewPost(title, "")));
        });

        assertFalse(first.isReplay());
        assertTrue(repeat.isReplay());
        assertEquals(1, runs.get(), "the repeat must not run the write");
        assertEquals(201, repeat.status());
        assertEquals(first.location(), repeat.location());
        assertArrayEquals(first.body(), repeat.body());
        assertEquals(1, postsTitled(title));
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndWritesNothing() {
        String keyText = UUID.randomUUID().toString();
        String title = "first-" + UUID.randomUUID();
        dal.idempotent(key(keyText, title), trx -> created(trx.posts().create(new NewPost(title, ""))));

        String other = "other-" + UUID.randomUUID();
        IdempotencyKeyReusedException refused = assertThrows(IdempotencyKeyReusedException.class,
                () -> dal.idempotent(key(keyText, other), trx -> created(trx.posts().create(new NewPost(other, "")))));
        assertTrue(refused.getMessage().contains(keyText), refused.getMessage());
        assertEquals(0, postsTitled(other));
    }

    @Test
    void aFailedWriteStoresNoKeySoItsRepeatIsApplied() {
        String taken = "taken-" + UUID.randomUUID();
        dal.orgs().create(new NewOrg(taken, "", null));
        IdempotencyKey key = key(UUID.randomUUID().toString(), "an org");

        assertThrows(ConflictException.class, () -> dal.idempotent(key, trx -> created(trx.orgs().create(new NewOrg(taken, "", null)))));
        dal.orgs().delete(dal.orgs().findByName(taken).orElseThrow().id());
        Reply applied = dal.idempotent(key, trx -> created(trx.orgs().create(new NewOrg(taken, "", null))));

        assertFalse(applied.isReplay());
        assertTrue(dal.orgs().findByName(taken).isPresent());
    }

    @Test
    void concurrentRepeatsApplyTheWriteOnceAndAllGetItsReply() throws Exception {
        int clients = 6;
        String title = "race-" + UUID.randomUUID();
        IdempotencyKey key = key(UUID.randomUUID().toString(), title);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int i = 0; i < clients; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return dal.idempotent(key, trx -> created(trx.posts().create(new NewPost(title, ""))));
                }));
            }
            start.countDown();
            Reply first = null;
            int applied = 0;
            for (Future<Reply> reply : replies) {
                Reply got = reply.get();
                applied += got.isReplay() ? 0 : 1;
                if (first == null) {
                    first = got;
                }
                assertArrayEquals(first.body(), got.body(), "every client gets the one write's reply");
            }
            assertEquals(1, applied, "exactly one client's write is applied");
        }
        assertEquals(1, postsTitled(title));
    }

    @Test
    void anExpiredKeyStartsAfreshAndThePurgeDeletesIt() throws Exception {
        // Whole seconds: Connector/J drops the fraction of the times it sends to a MariaDB 10 server
        // (it takes the "5.5.5-" prefix of the version for a server without fractional seconds).
        Dal shortLived = Dal.create(database.dataSource(), DalOptions.defaults().withIdempotencyTtl(Duration.ofSeconds(1)));
        String keyText = UUID.randomUUID().toString();
        String first = "before-" + UUID.randomUUID();
        shortLived.idempotent(key(keyText, first), trx -> created(trx.posts().create(new NewPost(first, ""))));
        Thread.sleep(1_100);

        String second = "after-" + UUID.randomUUID();
        Reply afterExpiry = shortLived.idempotent(key(keyText, second), trx -> created(trx.posts().create(new NewPost(second, ""))));
        assertFalse(afterExpiry.isReplay(), "an expired key no longer holds its request");
        assertEquals(1, postsTitled(second));

        Thread.sleep(2_100);
        assertTrue(shortLived.purgeExpiredIdempotencyKeys() >= 1);
        assertEquals(0, dal.dsl().fetchCount(IDEMPOTENCY_KEYS, IDEMPOTENCY_KEYS.EXPIRES_AT.lt(java.time.Instant.now())));
    }

    @Test
    void theDigestCoversEveryPartAndWhereOneEnds() {
        byte[] ab = IdempotencyKey.of("k", bytes("a"), bytes("b")).requestDigest();
        assertArrayEquals(ab, IdempotencyKey.of("k", bytes("a"), bytes("b")).requestDigest());
        assertFalse(Arrays.equals(ab, IdempotencyKey.of("k", bytes("ab"), bytes("")).requestDigest()),
                "moving a byte from one part to the next is another request");
    }

    @Test
    void unusableKeysAreRefusedWithTheReason() {
        assertEquals("is empty", IdempotencyKey.problem(""));
        assertEquals("is longer than 255 characters", IdempotencyKey.problem("k".repeat(256)));
        assertEquals("contains control characters", IdempotencyKey.problem("a\nb"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("", bytes("x")));
        assertEquals("the idempotency key is empty", refused.getMessage());
    }

    private static IdempotencyKey key(String key, String request) {
        return IdempotencyKey.of(key, bytes("POST"), bytes("/posts"), bytes(request));
    }

    private static Reply created(Post post) {
        return Reply.of(201, "/posts/" + post.id(), bytes(post.toString()));
    }

    private static Reply created(Org org) {
        return Reply.of(201, "/orgs/" + org.id(), bytes(org.toString()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long postsTitled(String title) {
        return dal.dsl().fetchCount(POSTS, POSTS.TITLE.eq(title));
    }
}
