package dev.sqlkit.server.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.sqlkit.dal.Dal;

/**
 * Deletes expired idempotency keys every few minutes. Expired keys are already ignored, so this only
 * keeps the table small; a failed run (the database away) is logged and tried again next time. On a
 * fleet every instance runs it: the deletes are small batches, and two instances deleting the same
 * rows at once is a conflict the dal retries.
 */
public final class IdempotencyKeyPurge implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMinutes(5);
    private static final Logger LOGGER = Logger.getLogger(IdempotencyKeyPurge.class.getName());

    private final ScheduledExecutorService scheduler;

    private IdempotencyKeyPurge(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Purges {@code dal}'s expired keys a minute from now, then every {@link #INTERVAL}. */
    public static IdempotencyKeyPurge start(Dal dal) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sqlkit-idempotency-purge").factory());
        scheduler.scheduleWithFixedDelay(() -> purge(dal), 60, INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return new IdempotencyKeyPurge(scheduler);
    }

    private static void purge(Dal dal) {
        try {
            int deleted = dal.purgeExpiredIdempotencyKeys();
            if (deleted > 0) {
                LOGGER.fine(() -> "deleted " + deleted + " expired idempotency keys");
            }
        } catch (RuntimeException e) {
            // Any failure, not only the dal's: one escaping would cancel every later run, silently.
            LOGGER.log(Level.WARNING, "could not delete expired idempotency keys (will try again in " + INTERVAL + "): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
