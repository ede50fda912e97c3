package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlkit.dal.Post;
import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The packaged server as its own process, under write load, gets SIGTERM: it drains, exits within
 * its grace period, answers no request with a 5xx, and every write it acknowledged is in the
 * database.
 */
@ExtendWith(DatabaseExtension.class)
class GracefulShutdownIT {

    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void sigtermDuringLoadLosesNoAcknowledgedWrite(TestDatabase database) throws Exception {
        int port = PackagedServer.freePort();
        Path log = dir.resolve("server.log");
        Process server = PackagedServer.command(database, port, log, List.of(), List.of()).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        PackagedServer.awaitReady(server, port, log);

        ConcurrentHashMap<Long, String> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        AtomicLong refusedAfterSigterm = new AtomicLong();
        AtomicLong failedBeforeSigterm = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    String title = "shutdown " + UUID.randomUUID();
                    long sentAt = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/posts"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\",\"body\":\"\"}"))
                                .timeout(Duration.ofSeconds(20))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            String location = response.headers().firstValue("Location").orElseThrow();
                            acknowledged.put(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)), title);
                        } else if (response.statusCode() >= 500) {
                            serverErrors.add(response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        // Refused or closed: the server had stopped taking this request.
                        (sentAt < sigtermAt.get() ? failedBeforeSigterm : refusedAfterSigterm).incrementAndGet();
                        sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(3000);
        long acknowledgedBefore = acknowledged.size();
        sigtermAt.set(System.nanoTime());
        server.destroy(); // SIGTERM
        boolean exited = server.waitFor(30, TimeUnit.SECONDS);
        long exitMillis = (System.nanoTime() - sigtermAt.get()) / 1_000_000;
        running.set(false);
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(30));
        }
        if (!exited) {
            server.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.printf("shutdown: %d writes acknowledged (%d before SIGTERM), exit %d ms after SIGTERM, %d requests refused"
                + " after it, %d sent just before it unanswered%n",
                acknowledged.size(), acknowledgedBefore, exitMillis, refusedAfterSigterm.get(), failedBeforeSigterm.get());

        assertTrue(exited, "the server did not exit within 30 s of SIGTERM:\n" + output);
        assertTrue(output.contains("sqlkit server stopped"), "the shutdown hook ran:\n" + output);
        assertTrue(serverErrors.isEmpty(), "5xx during shutdown: " + serverErrors);
        // A request sent just before the signal may meet HTTP/1.1's keep-alive race: the stopping
        // server closes an idle connection as the client reuses it, so the server never reads the
        // request (it is not in flight and not acknowledged). That can happen once per connection,
        // at most; a drain that cut requests short would fail many more.
        assertTrue(failedBeforeSigterm.get() <= WRITERS, failedBeforeSigterm.get() + " requests sent before SIGTERM got no answer");
        assertTrue(acknowledgedBefore > 50, "too little load to prove anything: " + acknowledgedBefore);
        for (var write : acknowledged.entrySet()) {
            Post post = database.dal().posts().findById(write.getKey()).orElse(null);
            assertTrue(post != null && post.title().equals(write.getValue()), "acknowledged write " + write + " is missing");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
