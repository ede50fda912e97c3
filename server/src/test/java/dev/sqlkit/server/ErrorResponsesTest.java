package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import dev.sqlkit.server.RunningServer.Reply;

/** Every documented error status, each as an RFC 9457 problem document without internals. */
@WithServer
class ErrorResponsesTest {

    private final RunningServer http;

    ErrorResponsesTest(RunningServer http) {
        this.http = http;
    }

    /** Asserts a problem response and returns it. */
    private JsonObject problem(Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/problem+json", reply.contentType());
        JsonObject problem = reply.json();
        assertEquals(status, problem.getInt("status"));
        assertEquals("about:blank", problem.getString("type"));
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
        if (field != null) {
            assertEquals(field, problem.getString("field"), problem.toString());
        }
        assertFalse(reply.body().contains("Exception") || reply.body().contains("\tat "), "no internals: " + reply.body());
        return problem;
    }

    @Test
    void malformedJsonIs400() {
        problem(http.post("/posts", "{\"title\":"), 400, null);
        problem(http.post("/posts", "not json"), 400, null);
        problem(http.post("/posts", "[1,2]"), 400, null);
        problem(http.post("/posts", ""), 400, null);
        problem(http.post("/posts", "{\"title\":\"a\",\"body\":\"\"} trailing"), 400, null);
        problem(http.post("/posts", "{\"title\":\"a\",\"title\":\"b\",\"body\":\"\"}"), 400, null);
        problem(http.post("/posts", "{\"a\":".repeat(40) + "1" + "}".repeat(40)), 400, null);
    }

    @Test
    void wrongTypesMissingAndUnknownFieldsAre400NamingTheField() {
        problem(http.post("/posts", "{\"title\":5,\"body\":\"\"}"), 400, "title");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":null}"), 400, "body");
        problem(http.post("/posts", "{\"body\":\"b\"}"), 400, "title");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":\"b\",\"published\":\"yes\"}"), 400, "published");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":1.5}"), 400, "author_id");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":123456789012345678901234567890}"), 400, "author_id");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":\"b\",\"pubished\":true}"), 400, "pubished");
        problem(http.put("/api/org", "{\"name\":\"n\",\"description\":\"\"}"), 400, "id");
    }

    @Test
    void badPathAndQueryParametersAre400() {
        problem(http.get("/posts/abc"), 400, "id");
        problem(http.get("/posts/-1"), 400, "id");
        problem(http.get("/posts/0"), 400, "id");
        problem(http.get("/posts/99999999999999999999"), 400, "id");
        problem(http.get("/posts?limit=0"), 400, "limit");
        problem(http.get("/orgs?after=x"), 400, "after");
    }

    @Test
    void unknownIdsAndRoutesAre404() {
        problem(http.get("/posts/" + Long.MAX_VALUE), 404, null);
        problem(http.delete("/users/" + Long.MAX_VALUE), 404, null);
        problem(http.get("/no/such/route"), 404, null);
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        Reply reply = http.patch("/orgs/1");
        problem(reply, 405, null);
        assertEquals("GET, PUT, DELETE", reply.allow());
        assertEquals("POST", http.delete("/post").allow());
    }

    @Test
    void duplicatesAre409() {
        String name = "dup-" + UUID.randomUUID();
        http.post("/orgs", "{\"name\":\"" + name + "\",\"description\":\"\"}");
        problem(http.post("/orgs", "{\"name\":\"" + name + "\",\"description\":\"\"}"), 409, "name");
    }

    @Test
    void valuesTheSchemaCannotHoldAre422() {
        problem(http.post("/posts", "{\"title\":\"" + "x".repeat(256) + "\",\"body\":\"\"}"), 422, "title");
        problem(http.post("/posts", "{\"title\":\"   \",\"body\":\"\"}"), 422, "title");
        problem(http.post("/users", "{\"email\":\"a@b.c\",\"role\":\"OWNER\"}"), 422, "role");
        problem(http.post("/users", "{\"email\":\"not-an-email\"}"), 422, "email");
        problem(http.post("/posts", "{\"title\":\"t\",\"body\":\"\",\"author_id\":" + Long.MAX_VALUE + "}"), 422, "author_id");
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        // A raw socket: the server answers 413 from the headers and closes, before a client could
        // finish sending 2 MB, so a client that insists on sending it all never reads the answer.
        try (Socket socket = new Socket("127.0.0.1", http.server().port())) {
            socket.getOutputStream().write(("POST /posts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2000000\r\n\r\n{\"title\":\"").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("application/problem+json"), response);
            assertTrue(response.contains("\"status\":413"), response);
        }
    }

    @Test
    void aWrongContentTypeIs415() {
        problem(RunningServer.read(http.request(io.helidon.http.Method.POST, "/posts").contentType(MediaTypes.TEXT_PLAIN)
                .submit("{\"title\":\"t\",\"body\":\"\"}")), 415, null);
        problem(RunningServer.read(http.request(io.helidon.http.Method.POST, "/posts").header(HeaderNames.CONTENT_TYPE, "application/json; charset=latin1")
                .submit("{\"title\":\"t\",\"body\":\"\"}")), 415, null);
    }

    @Test
    void invalidUtf8Is400() {
        byte[] latin1 = "{\"title\":\"caf\u00e9\",\"body\":\"\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        problem(RunningServer.read(http.request(io.helidon.http.Method.POST, "/posts").contentType(MediaTypes.APPLICATION_JSON).submit(latin1)), 400, null);
    }

    @Test
    void textWithSqlMetacharactersIsStoredVerbatim() {
        String title = "Robert'); DROP TABLE posts;-- \\\" %_ `x`";
        Reply created = http.post("/posts", "{\"title\":\"" + title.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"body\":\"\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(title, http.get(created.location()).json().getString("title"));
        assertTrue(http.get("/posts/published/count").status() == 200, "the posts table is still there");
    }
}
