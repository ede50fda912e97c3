package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** {@link DalOptions#withConnectionLimit}: calls beyond the limit wait their turn, in order, for a bounded time. */
@ExtendWith(DatabaseExtension.class)
class ConnectionLimitTest {

    private final TestDatabase database;

    ConnectionLimitTest(TestDatabase database) {
        this.database = database;
    }

    private Dal limitedTo(int limit, Duration wait) {
        return Dal.create(database.dataSource(), DalOptions.defaults().withConnectionLimit(limit, wait));
    }

    /**
     * The case a pool gets wrong: a caller that just gave its connection back asks again at once, while another
     * has been waiting. HikariCP hands the connection straight back to the first; the limit serves the waiter.
     */
    @Test
    void aCallerAskingAgainQueuesBehindTheOneAlreadyWaiting() throws Exception {
        Dal dal = limitedTo(1, Duration.ofSeconds(10));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> {
            dal.transactionOnce(trx -> {
                holding.countDown();
                await(letGo);
            });
            dal.transactionOnce(trx -> order.add("first, again"));
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        Thread second = Thread.ofVirtual().start(() -> dal.transactionOnce(trx -> order.add("second")));
        waitUntilParked(second);
        letGo.countDown();
        first.join(10_000);
        second.join(10_000);
        assertEquals(List.of("second", "first, again"), order);
    }

    /** Also that the turns stay exactly as many as the limit: none lost to the timed-out call, none gained. */
    @Test
    void aCallThatGetsNoTurnInTimeFailsAsUnavailableAndTheTurnIsNotLost() throws Exception {
        Duration wait = Duration.ofMillis(300);
        Dal dal = limitedTo(1, wait);
        assertNoTurnWhileAnotherHoldsIt(dal, wait);
        // The one turn is free again, also after a call failed for want of it: calls run, one after the other.
        Post post = dal.posts().create(new NewPost("after the wait", ""));
        assertEquals(post, dal.posts().findById(post.id()).orElseThrow());
        // ... and it is still the only one.
        assertNoTurnWhileAnotherHoldsIt(dal, wait);
    }

    /** While one call holds the only turn, another waits {@code wait} for it and fails as unavailable. */
    private static void assertNoTurnWhileAnotherHoldsIt(Dal dal, Duration wait) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> dal.transactionOnce(trx -> {
            holding.countDown();
            await(letGo);
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        long started = System.nanoTime();
        UnavailableException e = assertThrows(UnavailableException.class, () -> dal.posts().findById(1));
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(e.getMessage().contains("no database connection free within " + wait.toMillis() + " ms"), e.getMessage());
        assertTrue(waitedMs >= wait.toMillis() - 10 && waitedMs < 5_000, "waited " + waitedMs + " ms");
        letGo.countDown();
        holder.join(10_000);
        assertFalse(holder.isAlive(), "the holder finished");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Until {@code thread} waits for its turn (it has nothing else to wait for). */
    private static void waitUntilParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the second call never started waiting: " + thread.getState());
            Thread.sleep(5);
        }
    }
}
