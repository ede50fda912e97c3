package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.POSTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.TransactionConflictException.Reason;
import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/**
 * Work the database rolls back for a conflict runs again. The first test makes InnoDB choose the
 * work as a real deadlock victim; the others get error 1213 on demand from a trigger (posts whose
 * title starts with "conflict:"), which the server reports exactly as it reports a deadlock.
 */
@ExtendWith(DatabaseExtension.class)
class RetryTest {

    private static final Duration FAST = Duration.ofMillis(1);

    private final TestDatabase database;
    private final Recorder recorder = new Recorder();

    RetryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    static void conflictsOnDemand(TestDatabase database) {
        database.failInsertsOfConflictPosts();
    }

    /** The retry and give-up calls, as "retry deadlock 1" and "give up deadlock 3". */
    private static final class Recorder implements RetryListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onRetry(Reason reason, int failedAttempt) {
            events.add("retry " + reason.name().toLowerCase() + " " + failedAttempt);
        }

        @Override
        public void onGiveUp(Reason reason, int attempts) {
            events.add("give up " + reason.name().toLowerCase() + " " + attempts);
        }
    }

    private Dal dal(int maxAttempts) {
        return Dal.create(database.dataSource(), DalOptions.defaults()
                .withRetryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(maxAttempts).withBackoff(FAST, FAST))
                .withRetryListener(recorder));
    }

    @Test
    void aTransactionChosenAsDeadlockVictimRunsAgainFromTheStartAndCommits() throws Exception {
        Dal dal = dal(3);
        Post first = dal.posts().create(new NewPost("first", ""));
        Post second = dal.posts().create(new NewPost("second", ""));
        List<Long> heavy = List.of(
                dal.posts().create(new NewPost("h1", "")).id(), dal.posts().create(new NewPost("h2", "")).id(),
                dal.posts().create(new NewPost("h3", "")).id(), dal.posts().create(new NewPost("h4", "")).id());
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> rival = new CompletableFuture<>();

        try (Connection rivalConnection = database.dataSource().getConnection()) {
            rivalConnection.setAutoCommit(false);
            // The rival holds `second` and changes more rows than the work, so InnoDB, which rolls
            // back the transaction that has done less, picks the work as the deadlock's victim.
            update(rivalConnection, "rival", second.id());
            for (long id : heavy) {
                update(rivalConnection, "rival", id);
            }
            String result = dal.transactionResult(trx -> {
                int attempt = attempts.incrementAndGet();
                trx.dsl().update(POSTS).set(POSTS.TITLE, "work " + attempt).where(POSTS.ID.eq(first.id())).execute();
                if (attempt == 1) {
                    // The rival asks for `first`, which the work holds; the work then asks for
                    // `second`, which the rival holds: a cycle, and InnoDB breaks it with 1213.
                    Thread.ofPlatform().name("rival").start(() -> {
                        try {
                            update(rivalConnection, "rival", first.id());
                            rivalConnection.commit();
                            rival.complete(null);
                        } catch (SQLException e) {
                            rival.completeExceptionally(e);
                        }
                    });
                    awaitRivalUpdate(database.dataSource(), rival);
                }
                trx.dsl().update(POSTS).set(POSTS.TITLE, "work " + attempt).where(POSTS.ID.eq(second.id())).execute();
                return "done in attempt " + attempt;
            });
            rival.get(30, TimeUnit.SECONDS);

            assertEquals("done in attempt 2", result);
            assertEquals(List.of("retry deadlock 1"), recorder.events);
        }
        // The work's second run came after the rival's commit, so it is what remains.
        assertEquals("work 2", dal.posts().findById(first.id()).orElseThrow().title());
        assertEquals("work 2", dal.posts().findById(second.id()).orElseThrow().title());
    }

    @Test
    void aConflictThatPersistsEndsInTheTypedExceptionAfterTheLastAttempt() {
        Dal dal = dal(3);
        long before = dal.posts().countPublished();
        TransactionConflictException conflict = assertThrows(TransactionConflictException.class,
                () -> dal.posts().create(new NewPost("conflict:" + UUID.randomUUID(), "", true, null)));
        assertEquals(Reason.DEADLOCK, conflict.reason());
        assertEquals(3, conflict.attempts());
        assertTrue(conflict.getMessage().contains("gave up after 3 attempts"), conflict.getMessage());
        assertEquals(List.of("retry deadlock 1", "retry deadlock 2", "give up deadlock 3"), recorder.events);
        assertEquals(before, dal.posts().countPublished(), "no attempt left a row");
    }

    @Test
    void inATransactionOnlyTheWholeTransactionIsRetriedNotTheRepositoryCall() {
        Dal dal = dal(3);
        String name = "org-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        TransactionConflictException conflict = assertThrows(TransactionConflictException.class, () -> dal.transaction(trx -> {
            runs.incrementAndGet();
            trx.orgs().create(new NewOrg(name, "", null));
            trx.posts().create(new NewPost("conflict:" + UUID.randomUUID(), ""));
        }));
        assertEquals(3, runs.get(), "three runs of the work, not three times three of the create");
        assertEquals(3, conflict.attempts());
        assertEquals(List.of("retry deadlock 1", "retry deadlock 2", "give up deadlock 3"), recorder.events);
        assertTrue(dal.orgs().findByName(name).isEmpty(), "every attempt rolled back whole");
    }

    @Test
    void transactionOnceRunsTheWorkOnceAndReportsTheConflict() {
        Dal dal = dal(5);
        AtomicInteger runs = new AtomicInteger();
        TransactionConflictException conflict = assertThrows(TransactionConflictException.class, () -> dal.transactionOnce(trx -> {
            runs.incrementAndGet();
            trx.posts().create(new NewPost("conflict:" + UUID.randomUUID(), ""));
        }));
        assertEquals(1, runs.get());
        assertEquals(1, conflict.attempts());
        assertEquals(List.of(), recorder.events, "nothing was retried");
    }

    @Test
    void aPolicyOfOneAttemptNeverRetries() {
        Dal dal = dal(1);
        TransactionConflictException conflict = assertThrows(TransactionConflictException.class,
                () -> dal.posts().create(new NewPost("conflict:" + UUID.randomUUID(), "")));
        assertEquals(1, conflict.attempts());
        assertEquals(List.of(), recorder.events);
    }

    @Test
    void ownQueriesOnTheDalsContextGetTheTypedExceptionToo() {
        Dal dal = dal(3);
        TransactionConflictException conflict = assertThrows(TransactionConflictException.class,
                () -> dal.dsl().insertInto(POSTS).set(POSTS.TITLE, "conflict:" + UUID.randomUUID()).set(POSTS.BODY, "").execute());
        assertEquals(Reason.DEADLOCK, conflict.reason());
    }

    @Test
    void aPolicyRejectsNonsenseNamingTheComponent() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withMaxAttempts(0));
        assertTrue(error.getMessage().startsWith("maxAttempts"), error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ZERO));
        assertTrue(error.getMessage().startsWith("maxBackoff"), error.getMessage());
    }

    private static void update(Connection connection, String title, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE posts SET title = ? WHERE id = ?")) {
            statement.setString(1, title);
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    /**
     * Until the rival's UPDATE is running on the server (at most 10 s). Its exact state does not
     * matter: whichever of the two closes the cycle, InnoDB rolls back the lighter one, the work.
     */
    private static void awaitRivalUpdate(DataSource dataSource, CompletableFuture<Void> rival) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet running = statement.executeQuery("SELECT COUNT(*) FROM information_schema.processlist"
                        // Execute: a statement prepared on the server (the pools' default); Query: one sent as text
                        + " WHERE command IN ('Query', 'Execute') AND info LIKE 'UPDATE posts SET title = %'")) {
                    running.next();
                    if (running.getInt(1) > 0) {
                        return;
                    }
                }
                if (rival.isDone()) {
                    throw new IllegalStateException("the rival did not wait: " + rival.handle((ok, error) -> error).join());
                }
                Thread.onSpinWait();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the rival's UPDATE never reached the server");
    }
}
