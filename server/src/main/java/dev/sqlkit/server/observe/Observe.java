package dev.sqlkit.server.observe;

import javax.sql.DataSource;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * {@code /observe/health} and {@code /observe/metrics}. Alive while the process runs; ready while
 * the database answers, so that a load balancer stops sending requests that could only fail.
 */
public final class Observe {

    private Observe() {
    }

    public static ObserveFeature feature(DataSource database) {
        return ObserveFeature.builder()
                .addObserver(HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> HealthCheckResponse.builder().status(true).build(), HealthCheckType.LIVENESS, "process")
                        .addCheck(() -> databaseCheck(database), HealthCheckType.READINESS, "database")
                        .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private static HealthCheckResponse databaseCheck(DataSource database) {
        try (var connection = database.getConnection()) {
            return HealthCheckResponse.builder().status(connection.isValid(1)).build();
        } catch (Exception e) {
            return HealthCheckResponse.builder().status(false).detail("error", e.getClass().getSimpleName()).build();
        }
    }
}
