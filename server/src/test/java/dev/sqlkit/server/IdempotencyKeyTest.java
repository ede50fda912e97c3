package dev.sqlkit.server;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.POSTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import org.junit.jupiter.api.Test;

import dev.sqlkit.dal.testing.TestDatabase;

/**
 * Writes sent with an {@code Idempotency-Key} header are applied at most once: a repeat gets the
 * first answer, marked {@code Idempotent-Replayed: true}; the same key with another request is a 422.
 */
@WithServer
class IdempotencyKeyTest {

    private static final HeaderName KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");

    /** A response read completely, with the replay marker. */
    record Answer(int status, String location, String replayed, String body) {
    }

    @Test
    void aRepeatedCreateGetsTheFirstAnswerAndMakesOneRow(RunningServer http, TestDatabase database) {
        String key = quoted(UUID.randomUUID().toString());
        String title = "once " + UUID.randomUUID();
        String json = "{\"title\":\"" + title + "\",\"body\":\"b\"}";

        Answer first = send(http.request(Method.POST, "/posts"), key, json);
        Answer repeat = send(http.request(Method.POST, "/posts"), key, json);

        assertEquals(201, first.status(), first.body());
        assertNull(first.replayed());
        assertEquals(201, repeat.status(), repeat.body());
        assertEquals("true", repeat.replayed());
        assertEquals(first.location(), repeat.location());
        assertEquals(first.body(), repeat.body());
        assertEquals(1, database.dal().dsl().fetchCount(POSTS, POSTS.TITLE.eq(title)));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing(RunningServer http, TestDatabase database) {
        String key = quoted(UUID.randomUUID().toString());
        assertEquals(201, send(http.request(Method.POST, "/posts"), key, "{\"title\":\"first\",\"body\":\"b\"}").status());

        String other = "other " + UUID.randomUUID();
        Answer refused = send(http.request(Method.POST, "/posts"), key, "{\"title\":\"" + other + "\",\"body\":\"b\"}");

        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("already used for a different request"), refused.body());
        assertEquals(0, database.dal().dsl().fetchCount(POSTS, POSTS.TITLE.eq(other)));
    }

    @Test
    void aRepeatedDeleteIsAnsweredAsTheFirstWasNot404(RunningServer http) {
        long id = http.postCreated("/posts", "{\"title\":\"to delete\",\"body\":\"b\"}").id();

        Answer repeat = sentTwice(http, Method.DELETE, "/posts/" + id, 204);

        assertEquals(204, repeat.status());
        assertEquals(404, http.delete("/posts/" + id).status(), "without the key, the post is gone");
    }

    @Test
    void aFailedWriteKeepsNoKeySoItsRepeatIsAppliedOnceTheCauseIsGone(RunningServer http, TestDatabase database) {
        String name = "taken " + UUID.randomUUID();
        long taken = http.postCreated("/orgs", "{\"name\":\"" + name + "\",\"description\":\"\"}").id();
        String key = quoted(UUID.randomUUID().toString());
        String json = "{\"name\":\"" + name + "\",\"description\":\"mine\"}";

        assertEquals(409, send(http.request(Method.POST, "/orgs"), key, json).status());
        assertEquals(204, http.delete("/orgs/" + taken).status());
        Answer applied = send(http.request(Method.POST, "/orgs"), key, json);

        assertEquals(201, applied.status(), applied.body());
        assertNull(applied.replayed());
        assertEquals(1, database.dal().dsl().fetchCount(ORGS, ORGS.NAME.eq(name)));
    }

    @Test
    void aRequestWhoseConnectionWasCutIsAppliedOnceWhenSentAgain(RunningServer http, TestDatabase database) throws Exception {
        String key = UUID.randomUUID().toString();
        String title = "cut " + UUID.randomUUID();
        byte[] json = ("{\"title\":\"" + title + "\",\"body\":\"b\"}").getBytes(StandardCharsets.UTF_8);
        // The client writes its request and goes away before any answer: it cannot know whether
        // the post was created.
        try (Socket socket = new Socket("127.0.0.1", http.server().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /posts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: " + key + "\r\nContent-Length: " + json.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(json);
            out.flush();
        }

        // The server applied it all the same (else the repeat below would only prove a fresh create).
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (database.dal().dsl().fetchCount(POSTS, POSTS.TITLE.eq(title)) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, database.dal().dsl().fetchCount(POSTS, POSTS.TITLE.eq(title)), "the abandoned request was applied");

        // Sent again with the same key, quoted this time: the key is the same, and so is the answer.
        Answer again = send(http.request(Method.POST, "/posts"), quoted(key), new String(json, StandardCharsets.UTF_8));

        assertEquals(201, again.status(), again.body());
        assertEquals("true", again.replayed(), "the repeat is answered from the stored reply, not applied");
        assertEquals(1, database.dal().dsl().fetchCount(POSTS, POSTS.TITLE.eq(title)));
    }

    @Test
    void theLegacyRoutesTakeKeysToo(RunningServer http) {
        long id = http.postCreated("/posts", "{\"title\":\"legacy\",\"body\":\"b\"}").id();

        Answer repeat = sentTwice(http, Method.PATCH, "/post/" + id, 200);

        assertTrue(repeat.body().contains("\"published\":true"), repeat.body());
    }

    @Test
    void anUnusableKeyIs400NamingTheHeader(RunningServer http) {
        for (String bad : new String[] {"\"\"", "\"unclosed", "\"a\"b", "\"" + "k".repeat(256) + "\"", "\"a\\b\""}) {
            Answer refused = send(http.request(Method.POST, "/posts"), bad, "{\"title\":\"never\",\"body\":\"b\"}");
            assertEquals(400, refused.status(), bad + " -> " + refused.body());
            assertTrue(refused.body().contains("Idempotency-Key header"), refused.body());
        }
    }

    /** The request sent twice with one key: the first answer has {@code status}; the repeat, the replay of it. */
    private static Answer sentTwice(RunningServer http, Method method, String path, int status) {
        String key = quoted(UUID.randomUUID().toString());
        Answer first = send(http.request(method, path), key, null);
        Answer repeat = send(http.request(method, path), key, null);
        assertEquals(status, first.status(), first.body());
        assertNull(first.replayed());
        assertEquals("true", repeat.replayed());
        assertEquals(first.body(), repeat.body());
        return repeat;
    }

    private static String quoted(String key) {
        return "\"" + key + "\"";
    }

    private static Answer send(Http1ClientRequest request, String key, String json) {
        request.header(KEY, key);
        try (Http1ClientResponse response = json == null
                ? request.request()
                : request.contentType(MediaTypes.APPLICATION_JSON).submit(json)) {
            return new Answer(response.status().code(),
                    response.headers().first(HeaderNames.LOCATION).orElse(null),
                    response.headers().first(REPLAYED).orElse(null),
                    response.entity().hasEntity() ? response.as(String.class) : "");
        }
    }
}
