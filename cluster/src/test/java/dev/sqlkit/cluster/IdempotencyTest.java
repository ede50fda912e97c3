package dev.sqlkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.sqlkit.cluster.Http.Reply;

/**
 * Scenario 3, idempotent writes across nodes: a POST /posts sent again with the same
 * {@code Idempotency-Key}, through the same or another instance (so another database node), makes
 * one row and gets the first answer; also when the first attempt's connection was cut before its
 * answer. The same key with another body is refused.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IdempotencyTest {

    @RegisterExtension
    static final Fleet fleet = new Fleet("idem", 2);

    @Test
    void aRepeatGetsTheFirstAnswerAndMakesNoSecondRow() throws Exception {
        String title = "repeated " + fleet.run();
        String json = Http.json("title", title, "body", "once");
        String key = quoted(UUID.randomUUID().toString());
        ServerProcess first = fleet.instances().get(0);

        Reply original = Http.send("POST", first.uri("/posts"), json, "Idempotency-Key", key);
        Reply repeat = Http.send("POST", first.uri("/posts"), json, "Idempotency-Key", key);
        Reply elsewhere = Http.send("POST", fleet.instances().get(1).uri("/posts"), json, "Idempotency-Key", key);

        assertEquals(201, original.status(), original.toString());
        assertEquals(Optional.empty(), original.header("Idempotent-Replayed"), "the first answer is no replay");
        for (Reply replay : List.of(repeat, elsewhere)) {
            assertEquals(201, replay.status(), replay.toString());
            assertEquals(original.body(), replay.body(), "the repeat gets the first answer's body (same id)");
            assertEquals(original.header("Location"), replay.header("Location"));
            assertEquals(Optional.of("true"), replay.header("Idempotent-Replayed"));
        }
        assertEquals(1, rowsTitled(title), "one row for the key");
    }

    @Test
    void aRequestCutOffBeforeItsAnswerAndSentAgainThroughAnotherNodeMakesOneRow() throws Exception {
        String title = "cut off " + fleet.run();
        String json = Http.json("title", title, "body", "sent, connection closed, sent again");
        String key = "cut-" + UUID.randomUUID();
        ServerProcess first = fleet.instances().get(0);
        ServerProcess second = fleet.instances().get(1);

        sendAndHangUp(first, "/posts", json, quoted(key));
        // The server applies it all the same; only then is the retry below a test of the key
        // (before it, the retry could simply be the first to be applied).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rowsTitled(title) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, rowsTitled(title), "the cut-off request was applied");
        Reply retried = Http.send("POST", second.uri("/posts"), json, "Idempotency-Key", quoted(key));
        // The first instance again, the key as a bare token: if the cut-off request is still being
        // handled there, this waits for it; afterwards nothing of it can still be in flight.
        Reply again = Http.send("POST", first.uri("/posts"), json, "Idempotency-Key", key);

        assertEquals(201, retried.status(), retried.toString());
        assertEquals(201, again.status(), again.toString());
        assertEquals(Optional.of("true"), again.header("Idempotent-Replayed"));
        assertEquals(retried.body(), again.body(), "both answers name the one post");
        assertEquals(Optional.of("true"), retried.header("Idempotent-Replayed"), "the retry through the other node replays the cut-off request's answer");
        assertEquals(1, rowsTitled(title), "exactly one row");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() throws Exception {
        String key = quoted(UUID.randomUUID().toString());
        String title = "reused key " + fleet.run();
        String other = "another body " + fleet.run();
        Reply created = Http.send("POST", fleet.instances().get(0).uri("/posts"), Http.json("title", title, "body", "b"),
                "Idempotency-Key", key);
        assertEquals(201, created.status(), created.toString());

        for (ServerProcess instance : fleet.instances()) {
            Reply reused = Http.send("POST", instance.uri("/posts"), Http.json("title", other, "body", "b"), "Idempotency-Key", key);
            assertEquals(422, reused.status(), instance + ": " + reused);
            assertEquals(Optional.of("application/problem+json"), reused.header("Content-Type").map(type -> type.split(";")[0]));
            assertEquals(422, reused.json().getInt("status"), reused.toString());
        }
        assertEquals(1, rowsTitled(title));
        assertEquals(0, rowsTitled(other), "a refused request writes nothing");
    }

    /** POST over a raw socket, closed right after the request is written, before any answer is read. */
    private static void sendAndHangUp(ServerProcess instance, String path, String json, String key) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + instance.uri("/").getAuthority() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Idempotency-Key: " + key + "\r\n"
                + "\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), instance.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }

    /** Read through node 3, which neither instance is attached to first. */
    private static int rowsTitled(String title) throws Exception {
        try (Connection connection = fleet.galera().connect(3);
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM `" + fleet.database() + "`.posts WHERE title = ?")) {
            count.setString(1, title);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static String quoted(String key) {
        return "\"" + key + "\"";
    }
}
