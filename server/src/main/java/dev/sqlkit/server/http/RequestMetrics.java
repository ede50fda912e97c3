package dev.sqlkit.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * Request counts and latencies per route template (not per concrete path, which would make one
 * series per id), method and status; and the connection pool's usage. Exposed in Prometheus text
 * format at {@code /observe/metrics}.
 *
 * <p>The registry is Helidon's process-wide one, so the pool gauges are removed on {@link #close()}:
 * otherwise a server started later in the same JVM would keep reporting a closed pool.
 */
public final class RequestMetrics implements Filter, AutoCloseable {

    private static final Pattern PARAMETER_PATTERN = Pattern.compile("\\{(\\w+):[^}]*}");

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final List<Meter> gauges = new ArrayList<>();

    public RequestMetrics(MeterRegistry registry, HikariPoolMXBean pool) {
        this.registry = registry;
        gauges.add(registry.getOrCreate(Gauge.builder("db.pool.connections.active", pool, HikariPoolMXBean::getActiveConnections)
                .description("Connections in use")));
        gauges.add(registry.getOrCreate(Gauge.builder("db.pool.connections.idle", pool, HikariPoolMXBean::getIdleConnections)
                .description("Connections idle in the pool")));
        gauges.add(registry.getOrCreate(Gauge.builder("db.pool.connections.total", pool, HikariPoolMXBean::getTotalConnections)
                .description("Connections open")));
        gauges.add(registry.getOrCreate(Gauge.builder("db.pool.threads.waiting", pool, HikariPoolMXBean::getThreadsAwaitingConnection)
                .description("Requests waiting for a connection")));
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            String method = req.prologue().method().text();
            String route = req.matchingPattern().orElse("unmatched");
            int status = res.status().code();
            timer(method, route, status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, String route, int status) {
        return timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> registry.getOrCreate(
                Timer.builder("http.server.requests")
                        .description("HTTP requests by route template, method and status")
                        .tags(List.of(Tag.create("method", method), Tag.create("route", label(route)),
                                Tag.create("status", String.valueOf(status))))));
    }

    /** {@code /orgs/by-name/{name:(?s:.+)}} as {@code /orgs/by-name/{name}}: the route, not its regex. */
    static String label(String route) {
        return PARAMETER_PATTERN.matcher(route).replaceAll("{$1}");
    }
}
