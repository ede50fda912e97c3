package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;

/** Writers racing on the same post, on a pool of real connections. */
@ExtendWith(DatabaseExtension.class)
class ConcurrencyTest {

    private static final int POSTS = 40;
    private static final int THREADS = 6;

    private final PostRepository posts;

    ConcurrencyTest(Dal dal) {
        this.posts = dal.posts();
    }

    @Test
    void racingPublishesAndDeletesEndInOneDeleteAndOnlyNotFoundErrors() throws Exception {
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger deletes = new AtomicInteger();
        AtomicInteger publishes = new AtomicInteger();
        for (int round = 0; round < POSTS; round++) {
            long id = posts.create(new NewPost("race " + round, "")).id();
            race(i -> {
                try {
                    if (i % 2 == 0) {
                        posts.delete(id);
                        deletes.incrementAndGet();
                    } else {
                        assertTrue(posts.publish(id).isPublished());
                        publishes.incrementAndGet();
                    }
                } catch (NotFoundException expected) {
                    // the post was already deleted by a racing thread
                } catch (Throwable other) {
                    unexpected.add(other);
                }
                return null;
            });
            assertTrue(posts.findById(id).isEmpty());
        }
        assertTrue(unexpected.isEmpty(), "unexpected failures: " + unexpected);
        assertEquals(POSTS, deletes.get(), "exactly one delete per post succeeds");
        System.out.printf("publishes that won against the delete: %d of %d%n", publishes.get(), POSTS * THREADS / 2);
    }

    @Test
    void racingPublishesAndEditsLoseNeitherWrite() throws Exception {
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < POSTS; round++) {
            long id = posts.create(new NewPost("before", "body")).id();
            race(i -> {
                try {
                    if (i == 0) {
                        posts.update(id, new PostUpdate("after", "new body"));
                    } else {
                        posts.publish(id);
                    }
                } catch (Throwable other) {
                    unexpected.add(other);
                }
                return null;
            });
            Post post = posts.findById(id).orElseThrow();
            assertTrue(post.isPublished(), "the publish survived the edit");
            assertEquals("after", post.title(), "the edit survived the publishes");
            assertEquals("new body", post.body());
        }
        assertTrue(unexpected.isEmpty(), "unexpected failures: " + unexpected);
    }

    private interface Racer {
        Void run(int index) throws Exception;
    }

    /** Starts THREADS racers at the same moment and waits for all. */
    private static void race(Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                Callable<Void> task = () -> {
                    start.await();
                    return racer.run(index);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
