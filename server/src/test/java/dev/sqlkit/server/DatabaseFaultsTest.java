package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;
import dev.sqlkit.server.RunningServer.Reply;

/**
 * The database disappears in the middle of load and comes back: requests fail fast with 503 (never
 * hang, never 500), readiness turns down, and the server recovers by itself, without a restart.
 */
@ExtendWith(DatabaseExtension.class)
class DatabaseFaultsTest {

    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:mysql://([^/:?]+):(\\d+)(.*)");

    private record Outcome(long atNanos, int status, long millis) {
    }

    @Test
    void anOutageIsFast503sAndTheServerRecoversByItself(TestDatabase database) throws Exception {
        Matcher url = HOST_PORT.matcher(database.jdbcUrl());
        assertTrue(url.matches(), database.jdbcUrl());
        try (TcpProxy proxy = new TcpProxy(url.group(1), Integer.parseInt(url.group(2)));
             RunningServer http = RunningServer.on(database, Map.of(
                     "database.url", "jdbc:mysql://127.0.0.1:" + proxy.port() + url.group(3),
                     "database.pool.timeout", "PT" + POOL_TIMEOUT.toMillis() / 1000.0 + "S",
                     "database.pool.size", "4"))) {
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            ConcurrentHashMap<String, Throwable> clientErrors = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            List<Thread> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean writer = i % 2 == 0;
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        try {
                            Reply reply = writer ? http.post("/posts", "{\"title\":\"during faults\",\"body\":\"\"}")
                                    : http.get("/posts/1");
                            outcomes.add(new Outcome(start, reply.status(), (System.nanoTime() - start) / 1_000_000));
                            served.incrementAndGet();
                        } catch (RuntimeException e) {
                            clientErrors.put(e.toString(), e);
                        }
                    }
                }));
            }
            Thread.sleep(1500);
            long cutAt = System.nanoTime();
            proxy.cut();
            long readinessDownMillis = waitForReadiness(http, 503, Duration.ofSeconds(10));
            Thread.sleep(2000);
            long restoredAt = System.nanoTime();
            proxy.restore();
            long readinessUpMillis = waitForReadiness(http, 200, Duration.ofSeconds(20));
            long recoveredMillis = waitForSuccessfulWrite(http, Duration.ofSeconds(20));
            Thread.sleep(500);
            running.set(false);
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(10));
                assertTrue(!client.isAlive(), "a client thread hung");
            }

            List<Outcome> all = List.copyOf(outcomes);
            List<Outcome> duringOutage = all.stream().filter(o -> o.atNanos() > cutAt && o.atNanos() < restoredAt).toList();
            long maxOutageMillis = duringOutage.stream().mapToLong(Outcome::millis).max().orElse(0);
            System.out.printf("faults: %d requests served, %d during the outage (max %d ms, statuses %s); readiness down after %d ms;"
                            + " after the database came back: readiness up in %d ms, first successful write in %d ms%n",
                    served.get(), duringOutage.size(), maxOutageMillis,
                    duringOutage.stream().map(Outcome::status).distinct().sorted().toList(),
                    readinessDownMillis, readinessUpMillis, recoveredMillis);

            assertTrue(clientErrors.isEmpty(), "every request got an HTTP answer: " + clientErrors.keySet());
            assertTrue(all.stream().allMatch(o -> o.status() < 500 || o.status() == 503),
                    "only 2xx/4xx or 503: " + all.stream().map(Outcome::status).distinct().toList());
            assertTrue(duringOutage.stream().anyMatch(o -> o.status() == 503), "the outage was noticed");
            assertTrue(maxOutageMillis < POOL_TIMEOUT.toMillis() + 2000,
                    "requests failed within the pool timeout, not after " + maxOutageMillis + " ms");
            assertTrue(recoveredMillis < 10_000, "recovered within a few seconds, not " + recoveredMillis + " ms");
            assertEquals(200, http.get("/observe/health/ready").status());
        }
    }

    /** Milliseconds until readiness answers {@code status}. */
    private static long waitForReadiness(RunningServer http, int status, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        Reply last = null;
        while (System.nanoTime() - start < limit.toNanos()) {
            last = http.get("/observe/health/ready");
            if (last.status() == status) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("readiness did not turn " + status + " within " + limit + "; last answer: " + last);
    }

    private static long waitForSuccessfulWrite(RunningServer http, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (http.post("/posts", "{\"title\":\"recovered\",\"body\":\"\"}").status() == 201) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no write succeeded within " + limit + " after the database came back");
    }
}
