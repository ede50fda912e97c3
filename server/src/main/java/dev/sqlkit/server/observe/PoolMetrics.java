package dev.sqlkit.server.observe;

import java.util.List;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;

import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * The connection pool's usage as gauges ({@code db_pool_connections_active}, {@code _idle},
 * {@code _total}, {@code db_pool_threads_waiting}), read from the pool whenever they are scraped.
 *
 * <p>The registry is Helidon's process-wide one, so the gauges are removed on {@link #close()}:
 * otherwise a server started later in the same JVM would keep reporting a closed pool.
 */
public final class PoolMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> gauges;

    public PoolMetrics(MeterRegistry registry, HikariPoolMXBean pool) {
        this.registry = registry;
        this.gauges = List.of(
                registry.getOrCreate(Gauge.builder("db.pool.connections.active", pool, HikariPoolMXBean::getActiveConnections)
                        .description("Connections in use")),
                registry.getOrCreate(Gauge.builder("db.pool.connections.idle", pool, HikariPoolMXBean::getIdleConnections)
                        .description("Connections idle in the pool")),
                registry.getOrCreate(Gauge.builder("db.pool.connections.total", pool, HikariPoolMXBean::getTotalConnections)
                        .description("Connections open")),
                registry.getOrCreate(Gauge.builder("db.pool.threads.waiting", pool, HikariPoolMXBean::getThreadsAwaitingConnection)
                        .description("Requests waiting for a connection")));
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
