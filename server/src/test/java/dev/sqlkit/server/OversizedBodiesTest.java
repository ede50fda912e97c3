package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sqlkit.server.RawHttp.Response;

/**
 * A body over server.max-payload-size (1 MiB) sent the way many clients send it: the whole body
 * written before the answer is read (Python's http.client, curl without Expect, a plain socket).
 * The server answers 413 at once from the Content-Length; the client must still get to read that
 * answer instead of a connection reset, and the server must not read without bound meanwhile.
 */
@WithServer
class OversizedBodiesTest {

    private static final int MIB = 1024 * 1024;

    private final int port;

    OversizedBodiesTest(RunningServer server) {
        this.port = server.server().port();
    }

    @ParameterizedTest(name = "{0} MiB written completely, then the answer read")
    @ValueSource(ints = {2, 12, 100})
    void aClientThatWritesItsWholeBodyFirstReadsThe413(int mebibytes) throws IOException {
        long length = (long) mebibytes * MIB;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/posts", length).getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            for (long written = 0; written < length; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, length - written));
            }
            out.flush();
            assertIs413(RawHttp.parse(new BufferedInputStream(socket.getInputStream())));
        }
    }

    /** Without a Content-Length the limit is found while reading: a chunked body gets the same 413. */
    @Test
    void aChunkedBodyOverTheLimitWrittenCompletelyGetsThe413() throws IOException {
        Response response = sendChunked("application/json", 12);
        assertIs413(response);
    }

    /**
     * A route that answers before reading the body (415 for a body that is not JSON) leaves Helidon to
     * skip the rest, which stops at the limit: that answer, too, must reach a client still writing.
     */
    @Test
    void anEarlyAnswerOfARouteToAChunkedBodyOverTheLimitIsRead() throws IOException {
        Response response = sendChunked("text/plain", 12);
        assertEquals(415, response.status(), response.text());
        assertEquals(415, response.json().getInt("status"));
    }

    private Response sendChunked(String contentType, int mebibytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /posts HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < mebibytes * MIB / chunk.length; i++) {
                out.write(size);
                out.write(chunk);
                out.write(new byte[] {'\r', '\n'});
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return RawHttp.parse(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** After the answer, a client that stops sending (but announced more) is closed after the idle bound, not kept. */
    @Test
    void aClientThatStopsSendingIsClosedSoon() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/posts", 1024L * MIB).getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[2 * MIB]);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertIs413(RawHttp.parse(in));
            long start = System.nanoTime();
            assertEndsWithoutMoreData(in);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(Duration.ofSeconds(6)) < 0, "closed after " + waited);
        }
    }

    /** A client that never stops sending is cut off once the server has discarded its bound. */
    @Test
    void aClientThatNeverStopsSendingIsCutOff() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/posts", Long.MAX_VALUE / 2).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.parse(in);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] chunk = new byte[256 * 1024];
            long start = System.nanoTime();
            long written = 0;
            IOException cutOff = null;
            while (cutOff == null && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(40)) {
                try {
                    out.write(chunk);
                    written += chunk.length;
                } catch (IOException e) {
                    cutOff = e;
                }
            }
            assertTrue(cutOff != null, "still writing after " + written / MIB + " MiB and 40 s");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "cut off only after " + took);
            assertTrue(written < 300L * MIB, "cut off only after " + written / MIB + " MiB");
            assertIs413(answer.get(10, TimeUnit.SECONDS));
        }
    }

    private static String head(String method, String target, long length) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
    }

    private static void assertIs413(Response response) {
        assertEquals(413, response.status(), response.text());
        assertEquals("application/problem+json", response.header("content-type"));
        assertEquals("close", response.header("connection"));
        JsonObject problem = response.json();
        assertEquals(413, problem.getInt("status"));
        assertTrue(problem.getString("detail").contains("server.max-payload-size"), problem.toString());
    }

    /** The server closes: end of stream (or a reset, as the discard is cut short), and no bytes after the answer. */
    private static void assertEndsWithoutMoreData(InputStream in) {
        try {
            assertEquals(-1, in.read(), "no bytes after the answer");
        } catch (IOException reset) {
            // closed with the client's unread bytes in flight: also an end
        }
    }
}
