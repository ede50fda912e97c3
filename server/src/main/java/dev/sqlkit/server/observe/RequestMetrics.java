package dev.sqlkit.server.observe;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Request counts and latencies ({@code http_server_requests_seconds}) per route template, method
 * and status: per template rather than per concrete path, which would make one series per id.
 * A filter around every route, so that requests a handler or another filter rejects count too.
 *
 * <p>With the access log on ({@code server.access-log}), each request is also one line of the
 * logger {@code dev.sqlkit.server.access}, from the same measurement: method, route template,
 * status and duration, e.g. {@code GET /posts/{id} 200 1.84ms}. The template rather than the path
 * keeps ids and names out of the log, and nothing of the query or the headers is written, so no
 * bearer token or parameter value reaches it. Requests refused before routing (malformed HTTP, a
 * body over max-payload-size) are not routed, so they are in neither the metrics nor this log.
 */
public final class RequestMetrics implements Filter {

    private static final Pattern PARAMETER_PATTERN = Pattern.compile("\\{(\\w+):[^}]*}");

    private static final Logger ACCESS = Logger.getLogger("dev.sqlkit.server.access");

    private final MeterRegistry registry;
    private final boolean accessLog;
    // Keyed by a small record rather than a concatenated string, and read before computeIfAbsent
    // (whose method reference would be one more object): the filter runs on every request.
    private final ConcurrentHashMap<Series, Route> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry, boolean accessLog) {
        this.registry = registry;
        this.accessLog = accessLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            Series series = new Series(req.prologue().method().text(), req.matchingPattern().orElse("unmatched"),
                    res.status().code());
            Route route = timers.get(series);
            if (route == null) {
                route = timers.computeIfAbsent(series, this::route);
            }
            long nanos = System.nanoTime() - start;
            // The line before the count: once a request shows in the metrics, its line has been written.
            if (accessLog && ACCESS.isLoggable(Level.INFO)) {
                ACCESS.info(String.format(Locale.ROOT, "%s %s %d %.2fms",
                        series.method(), route.label(), series.status(), nanos / 1e6));
            }
            route.timer().record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A series' timer, with its route's label worked out once for the timer and the access log. */
    private Route route(Series series) {
        String label = label(series.route());
        return new Route(registry.getOrCreate(Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tags(List.of(Tag.create("method", series.method()), Tag.create("route", label),
                        Tag.create("status", String.valueOf(series.status()))))), label);
    }

    /** {@code /orgs/by-name/{name:(?s:.+)}} as {@code /orgs/by-name/{name}}: the route, not its regex. */
    private static String label(String route) {
        return PARAMETER_PATTERN.matcher(route).replaceAll("{$1}");
    }

    private record Series(String method, String route, int status) {
    }

    private record Route(Timer timer, String label) {
    }
}
