package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.sqlkit.server.RunningServer.Reply;

/**
 * One line of a table of requests the API must refuse: the request as written and the answer it is
 * documented to get, e.g.
 * {@code post("/orgs").json("{\"name\":42}").expect(400).field("name").as("a number for a name")}.
 *
 * <p>Targets and bodies may name the fixtures a request aims at as {@code {org}}, {@code {otherOrg}},
 * {@code {user}} and {@code {post}}: their ids exist only once the server runs, so a line holds the
 * placeholder and {@link #sendTo} fills it in. A request is immutable; every step returns a new one.
 *
 * @param contentType null: no Content-Type header
 * @param body null: no body and no Content-Length
 * @param announcedLength the Content-Length to announce instead of the body's own (-1: the body's);
 *     only the body is sent, as by a client whose upload the server refuses before it ends
 * @param status the status it must get; 0 until {@link #expect}, so a line without one fails
 * @param field the field the problem document must name; null: not checked
 * @param allow the Allow header a 405 must carry; null: not checked
 * @param description what is wrong with the request, for the test's name
 */
record MalformedRequest(String method, String target, String contentType, byte[] body, long announcedLength,
        int status, String field, String allow, String description) {

    static MalformedRequest get(String target) {
        return new MalformedRequest("GET", target, null, null, -1, 0, null, null, null);
    }

    static MalformedRequest post(String target) {
        return get(target).withMethod("POST");
    }

    static MalformedRequest put(String target) {
        return get(target).withMethod("PUT");
    }

    static MalformedRequest delete(String target) {
        return get(target).withMethod("DELETE");
    }

    static MalformedRequest patch(String target) {
        return get(target).withMethod("PATCH");
    }

    private MalformedRequest withMethod(String name) {
        return new MalformedRequest(name, target, contentType, body, announcedLength, status, field, allow, description);
    }

    /** The text as UTF-8, sent as application/json. */
    MalformedRequest json(String text) {
        return contentType("application/json").body(text);
    }

    /** Bytes sent as application/json whatever they are. */
    MalformedRequest json(byte[] bytes) {
        return contentType("application/json").body(bytes);
    }

    MalformedRequest contentType(String type) {
        return new MalformedRequest(method, target, type, body, announcedLength, status, field, allow, description);
    }

    /** The text as UTF-8 bytes. */
    MalformedRequest body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    MalformedRequest body(byte[] bytes) {
        return new MalformedRequest(method, target, contentType, bytes, announcedLength, status, field, allow, description);
    }

    MalformedRequest announcing(long contentLength) {
        return new MalformedRequest(method, target, contentType, body, contentLength, status, field, allow, description);
    }

    MalformedRequest expect(int expectedStatus) {
        return new MalformedRequest(method, target, contentType, body, announcedLength, expectedStatus, field, allow, description);
    }

    MalformedRequest field(String name) {
        return new MalformedRequest(method, target, contentType, body, announcedLength, status, name, allow, description);
    }

    MalformedRequest allow(String methods) {
        return new MalformedRequest(method, target, contentType, body, announcedLength, status, field, methods, description);
    }

    MalformedRequest as(String whatIsWrong) {
        return new MalformedRequest(method, target, contentType, body, announcedLength, status, field, allow, whatIsWrong);
    }

    /** Bytes from parts: a String as UTF-8, an Integer as one byte, a byte[] as it is. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            switch (part) {
                case String text -> out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                case Integer oneByte -> out.write(oneByte);
                case byte[] raw -> out.writeBytes(raw);
                default -> throw new IllegalArgumentException("not a String, Integer or byte[]: " + part);
            }
        }
        return out.toByteArray();
    }

    /** Sends the request, placeholders filled in, exactly as written otherwise. */
    RawHttp.Response sendTo(int port, Fixtures fixtures) throws IOException {
        return RawHttp.send(port, method, fixtures.resolve(target), contentType, body == null ? null : fixtures.resolve(body),
                announcedLength);
    }

    /** The test's name: what is sent, what must come back, and why. */
    @Override
    public String toString() {
        String shownTarget = target.length() > 70 ? target.substring(0, 70) + "..." : target;
        return String.format(Locale.ROOT, "%s %s%s -> %d%s%s%s", method, shownTarget,
                announcedLength < 0 ? "" : " (Content-Length: " + announcedLength + ")", status,
                field == null ? "" : " (" + field + ")", allow == null ? "" : " Allow: " + allow,
                description == null ? "" : ": " + description);
    }

    /** The rows the requests aim at, created once per test class (whose database is its own, so the names are free). */
    record Fixtures(long org, long otherOrg, long user, long post) {

        static final String ORG_NAME = "fixture-org-a";
        static final String OTHER_ORG_NAME = "fixture-org-b";
        static final String EMAIL = "fixture@example.test";
        static final String USER_NAME = "Fix";
        static final String POST_TITLE = "fixture";
        static final String POST_BODY = "b";

        /** A placeholder no fixture fills: a typo that would otherwise be sent as it is and answered 400 or 404. */
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{[A-Za-z]+\\}");

        static Fixtures createIn(RunningServer http) {
            long org = created(http.post("/orgs", "{\"name\":\"" + ORG_NAME + "\",\"description\":\"a\"}"));
            long otherOrg = created(http.post("/orgs", "{\"name\":\"" + OTHER_ORG_NAME + "\",\"description\":\"b\"}"));
            long user = created(http.post("/users",
                    "{\"email\":\"" + EMAIL + "\",\"name\":\"" + USER_NAME + "\",\"org_id\":" + org + "}"));
            long post = created(http.post("/posts",
                    "{\"title\":\"" + POST_TITLE + "\",\"body\":\"" + POST_BODY + "\",\"author_id\":" + user + "}"));
            return new Fixtures(org, otherOrg, user, post);
        }

        private static long created(Reply reply) {
            assertEquals(201, reply.status(), reply.body());
            return reply.json().getJsonNumber("id").longValueExact();
        }

        String resolve(String text) {
            String resolved = text.replace("{org}", Long.toString(org))
                    .replace("{otherOrg}", Long.toString(otherOrg))
                    .replace("{user}", Long.toString(user))
                    .replace("{post}", Long.toString(post));
            if (PLACEHOLDER.matcher(resolved).find()) {
                throw new IllegalArgumentException("a placeholder other than {org}, {otherOrg}, {user}, {post} in: " + text);
            }
            return resolved;
        }

        /** Through ISO-8859-1, which maps every byte to one char and back: bytes that are not UTF-8 stay as they are. */
        byte[] resolve(byte[] bytes) {
            return resolve(new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
