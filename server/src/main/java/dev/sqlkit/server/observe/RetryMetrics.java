package dev.sqlkit.server.observe;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import dev.sqlkit.dal.RetryListener;
import dev.sqlkit.dal.TransactionConflictException.Reason;

/**
 * The dal's retries of conflicting work, by cause: {@code db_retries_total{cause="deadlock"}} counts
 * runs that were repeated (a deadlock or a Galera certification failure; {@code lock_wait_timeout}
 * when the policy retries those), {@code db_retries_exhausted_total{cause=...}} the work that failed
 * every attempt and reached the client as a 503. Registered up front, so a scrape shows zeros rather
 * than nothing.
 *
 * <p>The registry is Helidon's process-wide one, so the counters are removed on {@link #close()},
 * like {@link PoolMetrics}' gauges.
 */
public final class RetryMetrics implements RetryListener, AutoCloseable {

    private final MeterRegistry registry;
    private final Map<Reason, Counter> retries = new EnumMap<>(Reason.class);
    private final Map<Reason, Counter> exhausted = new EnumMap<>(Reason.class);

    public RetryMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Reason reason : Reason.values()) {
            List<Tag> cause = List.of(Tag.create("cause", reason.name().toLowerCase(Locale.ROOT)));
            retries.put(reason, registry.getOrCreate(Counter.builder("db.retries")
                    .description("Database work run again after a conflict with a concurrent transaction")
                    .tags(cause)));
            exhausted.put(reason, registry.getOrCreate(Counter.builder("db.retries.exhausted")
                    .description("Database work that conflicted on every attempt and was given up")
                    .tags(cause)));
        }
    }

    @Override
    public void onRetry(Reason reason, int failedAttempt) {
        retries.get(reason).increment();
    }

    @Override
    public void onGiveUp(Reason reason, int attempts) {
        exhausted.get(reason).increment();
    }

    @Override
    public void close() {
        List<Meter> meters = new ArrayList<>(retries.values());
        meters.addAll(exhausted.values());
        meters.forEach(registry::remove);
    }
}
