package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sqlkit.server.RunningServer.Reply;

/**
 * A table of malformed requests over every route (canonical and drop-in), each sent as raw bytes
 * over a socket so that the request line, headers and body are exactly as written: every one must
 * get its documented 4xx problem document (never a 500, never a success), and the server must still
 * be ready and working afterwards. SQL metacharacters, by contrast, are valid text: they are stored
 * and read back byte for byte.
 */
@WithServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestsTest {

    private static final String JSON = "application/json";
    private static final long MAX = Long.MAX_VALUE;
    /** server.max-payload-size in application.yaml. */
    private static final int MAX_PAYLOAD = 1024 * 1024;
    /** Internals a problem document must never reveal: exception names, stack frames, packages. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|Throwable|\\tat |\\bat [a-z]+\\.[a-z]|\\b(java|javax|jakarta|sun|io\\.helidon|org\\.eclipse|org\\.jooq|"
                    + "com\\.mysql|org\\.mariadb|com\\.zaxxer|dev\\.sqlkit)\\.[a-zA-Z]");

    // Fixtures the cases refer to (a fresh database per test class, so fixed names are safe).
    private static final String ORG_A = "fixture-org-a";
    private static final String ORG_B = "fixture-org-b";
    private static final String EMAIL = "fixture@example.test";
    private static long orgA; // 0 until createFixtures has run
    private static long orgB;
    private static long user;
    private static long post;

    private final RunningServer http;

    MalformedRequestsTest(RunningServer http) {
        this.http = http;
    }

    @BeforeAll
    static void createFixtures(RunningServer http) {
        orgA = created(http.post("/orgs", "{\"name\":\"" + ORG_A + "\",\"description\":\"a\"}"));
        orgB = created(http.post("/orgs", "{\"name\":\"" + ORG_B + "\",\"description\":\"b\"}"));
        user = created(http.post("/users", "{\"email\":\"" + EMAIL + "\",\"name\":\"Fix\",\"org_id\":" + orgA + "}"));
        post = created(http.post("/posts", "{\"title\":\"fixture\",\"body\":\"b\",\"author_id\":" + user + "}"));
    }

    private static long created(Reply reply) {
        assertEquals(201, reply.status(), reply.body());
        return reply.json().getJsonNumber("id").longValueExact();
    }

    // ------------------------------------------------------------------ the table

    /**
     * One malformed request and its documented answer. {@code contentType} null sends no
     * Content-Type; {@code body} null sends no body. {@code declaredLength} above zero sends only
     * the headers (with that Content-Length) and the first bytes of the body, as a client whose
     * upload the server refuses early. {@code field} null: the API names no field (not checked).
     */
    record Case(String name, String method, String target, String contentType, byte[] body, int status, String field,
            String allow, long declaredLength) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String category, String method, String target, String contentType, byte[] body, int status,
            String field, String allow, long declaredLength, String what) {
        String shown = target.length() > 70 ? target.substring(0, 70) + "..." : target;
        CASES.add(new Case(String.format(Locale.ROOT, "[%s] %s %s -> %d%s: %s", category, method, shown, status,
                field == null ? "" : " (" + field + ")", what), method, target, contentType, body, status, field, allow, declaredLength));
    }

    /** A JSON body (UTF-8, Content-Type application/json). */
    private static void json(String category, String method, String target, String body, int status, String field, String what) {
        add(category, method, target, JSON, utf8(body), status, field, null, 0, what);
    }

    /** Any body bytes, any Content-Type (null: none). */
    private static void raw(String category, String method, String target, String contentType, byte[] body, int status,
            String field, String what) {
        add(category, method, target, contentType, body, status, field, null, 0, what);
    }

    /** No body, no Content-Type. */
    private static void bare(String category, String method, String target, int status, String field, String what) {
        add(category, method, target, null, null, status, field, null, 0, what);
    }

    private static void notAllowed(String method, String target, String allow) {
        add("wrong method", method, target, null, null, 405, null, allow, 0, "Allow: " + allow);
    }

    private static void tooLarge(String method, String target, long declared) {
        add("too large", method, target, JSON, utf8("{\"name\":\"" + "x".repeat(1000)), 413, null, null, declared,
                "Content-Length " + declared + " over max-payload-size");
    }

    static Stream<Case> cases() {
        assertTrue(orgA > 0, "the fixtures are created in @BeforeAll, before the table is built");
        CASES.clear();
        String org = "/orgs/" + orgA;
        String usr = "/users/" + user;
        String pst = "/posts/" + post;
        String validOrg = "{\"name\":\"valid-unused\",\"description\":\"\"}";
        String validPost = "{\"title\":\"t\",\"body\":\"b\"}";
        String deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObjects = "{\"a\":".repeat(50) + "1" + "}".repeat(50);
        String u256 = "x".repeat(256);
        String emoji256 = "\uD83D\uDE80".repeat(256);
        String url2049 = "https://example.test/" + "u".repeat(2049 - 21);
        String text65536 = "x".repeat(65_536);
        String euro21846 = "\u20AC".repeat(21_846); // 3 bytes each: 65538 bytes, 21846 characters
        String e32768 = "\u00E9".repeat(32_768); // 2 bytes each: exactly 65536 bytes
        String rocket16384 = "\uD83D\uDE80".repeat(16_384); // 4 bytes each: exactly 65536 bytes
        String email321 = "a".repeat(64) + "@" + "d".repeat(252) + ".test"; // 64 + 1 + 256 = 321
        byte[] invalidUtf8 = concat(utf8("{\"name\":\"caf"), new byte[] {(byte) 0xE9}, utf8("\",\"description\":\"\"}"));

        // ---- malformed JSON: truncated, trailing content, not JSON, too deep
        json("truncated", "POST", "/orgs", "{\"name\":\"a\",\"description\":", 400, null, "ends after a colon");
        json("truncated", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\"", 400, null, "no closing brace");
        json("truncated", "POST", "/users", "{\"email\":\"a@b.c", 400, null, "ends inside a string");
        json("truncated", "PUT", pst, "{\"title\":\"t\",\"body\":\"\\u00", 400, null, "ends inside an escape");
        json("truncated", "POST", "/api/org", "{\"name\"", 400, null, "ends after a key");
        json("truncated", "PUT", "/api/org", "{\"id\":" + orgA + ",", 400, null, "ends after a comma");
        json("truncated", "POST", "/post", "{", 400, null, "a lone brace");
        json("malformed", "POST", "/orgs", validOrg + " {}", 400, null, "trailing content after the object");
        json("malformed", "POST", "/posts", "{'title':'t','body':'b'}", 400, null, "single quotes");
        json("malformed", "POST", "/users", "{\"email\":\"a@b.c\",}", 400, null, "trailing comma");
        json("malformed", "PUT", usr, "{\"name\":NaN}", 400, null, "NaN is not JSON");
        json("malformed", "POST", "/post", "{\"title\":\"a\tb\",\"body\":\"\"}", 400, null, "raw control character in a string");
        json("deep", "POST", "/orgs", "{\"name\":" + deepArrays + ",\"description\":\"\"}", 400, null, "100000 nested arrays as a value");
        json("deep", "POST", "/posts", deepArrays, 400, null, "100000 nested arrays at the top");
        json("deep", "POST", "/users", "{\"email\":\"a@b.c\",\"name\":" + deepObjects + "}", 400, null, "50 nested objects");
        json("deep", "POST", "/api/org", "{\"name\":" + "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000) + "}", 400, null,
                "20000 nested objects");

        // ---- JSON that is not an object
        json("not an object", "POST", "/orgs", "[" + validOrg + "]", 400, null, "an array");
        json("not an object", "POST", "/posts", "\"title\"", 400, null, "a string");
        json("not an object", "POST", "/users", "42", 400, null, "a number");
        json("not an object", "PUT", usr, "null", 400, null, "null");
        json("not an object", "POST", "/api/org", "true", 400, null, "a boolean");
        json("not an object", "PUT", "/api/org", "[]", 400, null, "an empty array");
        json("not an object", "POST", "/post", "-1.5e3", 400, null, "a number with an exponent");
        json("not an object", "PUT", pst, "\"\\ud800\"", 400, null, "a string holding a lone surrogate");

        // ---- wrong types: string, boolean, id and role fields
        json("wrong type", "POST", "/orgs", "{\"name\":42,\"description\":\"\"}", 400, "name", "string field given a number");
        json("wrong type", "POST", "/orgs", "{\"name\":\"n\",\"description\":false}", 400, "description", "string field given a boolean");
        json("wrong type", "POST", "/orgs", "{\"name\":\"n\",\"description\":\"\",\"url\":{\"href\":\"x\"}}", 400, "url",
                "string field given an object");
        json("wrong type", "PUT", org, "{\"name\":[\"n\"],\"description\":\"\"}", 400, "name", "string field given an array");
        json("wrong type", "POST", "/posts", "{\"title\":\"t\",\"body\":null}", 400, "body", "required string given null");
        json("wrong type", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"published\":\"true\"}", 400, "published",
                "boolean field given a string");
        json("wrong type", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"published\":1}", 400, "published",
                "boolean field given a number");
        json("wrong type", "POST", "/post", "{\"title\":\"t\",\"body\":\"b\",\"published\":\"yes\"}", 400, "published",
                "boolean field given 'yes'");
        json("wrong type", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":\"" + user + "\"}", 400, "author_id",
                "id field given a string");
        json("wrong type", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":true}", 400, "author_id",
                "id field given a boolean");
        json("wrong type", "POST", "/users", "{\"email\":\"w1@x.test\",\"org_id\":[" + orgA + "]}", 400, "org_id", "id field given an array");
        json("wrong type", "POST", "/users", "{\"email\":12345}", 400, "email", "string field given a number");
        json("wrong type", "POST", "/users", "{\"email\":\"w2@x.test\",\"name\":true}", 400, "name", "optional string given a boolean");
        json("wrong type", "POST", "/users", "{\"email\":\"w3@x.test\",\"role\":1}", 400, "role", "role given a number");
        json("wrong type", "PUT", usr, "{\"role\":false}", 400, "role", "role given a boolean");
        json("wrong type", "PUT", "/api/org", "{\"id\":\"" + orgA + "\",\"name\":\"n\",\"description\":\"\"}", 400, "id",
                "id given as a string");

        // ---- numbers an id cannot be
        json("bad number", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":1e400}", 400, "author_id", "1e400");
        json("bad number", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":99999999999999999999999}", 400, "author_id",
                "23 digits");
        json("bad number", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":-1}", 400, "author_id", "negative");
        json("bad number", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":0}", 400, "author_id", "zero");
        json("bad number", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":1.5}", 400, "author_id", "a fraction");
        json("bad number", "POST", "/users", "{\"email\":\"n1@x.test\",\"org_id\":1e-400}", 400, "org_id", "1e-400");
        json("bad number", "POST", "/users", "{\"email\":\"n2@x.test\",\"org_id\":9223372036854775808}", 400, "org_id",
                "Long.MAX_VALUE + 1");
        json("bad number", "POST", "/users", "{\"email\":\"n3@x.test\",\"org_id\":-9223372036854775808}", 400, "org_id",
                "Long.MIN_VALUE");
        json("bad number", "PUT", "/api/org", "{\"id\":1.5,\"name\":\"n\",\"description\":\"\"}", 400, "id", "a fraction");
        json("bad number", "PUT", "/api/org", "{\"id\":0,\"name\":\"n\",\"description\":\"\"}", 400, "id", "zero");
        json("bad number", "PUT", "/api/org", "{\"id\":1e999999999,\"name\":\"n\",\"description\":\"\"}", 400, "id", "1e999999999");

        // ---- missing, null and unknown fields, duplicate keys
        json("missing field", "POST", "/orgs", "{\"description\":\"\"}", 400, "name", "no name");
        json("missing field", "PUT", org, "{\"name\":\"n\"}", 400, "description", "no description");
        json("missing field", "POST", "/posts", "{\"body\":\"b\"}", 400, "title", "no title");
        json("missing field", "PUT", pst, "{\"title\":\"t\"}", 400, "body", "no body");
        json("missing field", "POST", "/users", "{}", 400, "email", "an empty object");
        json("missing field", "PUT", "/api/org", "{\"name\":\"n\",\"description\":\"\"}", 400, "id", "no id");
        json("missing field", "PUT", "/api/org", "{\"id\":null,\"name\":\"n\",\"description\":\"\"}", 400, "id", "id null");
        json("missing field", "POST", "/post", "{\"title\":\"t\"}", 400, "body", "no body");
        json("unknown field", "POST", "/orgs", "{\"name\":\"n\",\"description\":\"\",\"website\":\"x\"}", 400, "website", "website");
        json("unknown field", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author\":1}", 400, "author", "author (for author_id)");
        json("unknown field", "PUT", pst, "{\"title\":\"t\",\"body\":\"b\",\"published\":true}", 400, "published",
                "published is not updatable");
        json("unknown field", "POST", "/users", "{\"email\":\"u1@x.test\",\"password\":\"hunter2\"}", 400, "password", "password");
        json("unknown field", "PUT", usr, "{\"email\":\"u2@x.test\"}", 400, "email", "email is not updatable");
        json("unknown field", "POST", "/api/org", "{\"id\":5,\"name\":\"n\",\"description\":\"\"}", 400, "id", "id on create");
        json("unknown field", "POST", "/post", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":" + user + "}", 400, "author_id",
                "author_id on the legacy route");
        json("unknown field", "PUT", "/api/org", "{\"id\":" + orgA + ",\"name\":\"n\",\"description\":\"\",\"members\":[]}", 400,
                "members", "members");
        json("duplicate key", "POST", "/orgs", "{\"name\":\"a\",\"name\":\"b\",\"description\":\"\"}", 400, "name", "name twice");
        json("duplicate key", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"published\":false,\"published\":true}", 400,
                "published", "published twice");
        json("duplicate key", "POST", "/users", "{\"email\":\"d@x.test\",\"email\":\"d@x.test\"}", 400, "email", "same value twice");
        json("duplicate key", "PUT", "/api/org", "{\"id\":" + orgA + ",\"id\":" + orgB + ",\"name\":\"n\",\"description\":\"\"}", 400,
                "id", "id twice");

        // ---- empty bodies
        raw("empty body", "POST", "/orgs", JSON, new byte[0], 400, null, "Content-Length: 0");
        raw("empty body", "PUT", pst, JSON, new byte[0], 400, null, "Content-Length: 0");
        raw("empty body", "POST", "/users", JSON, utf8(" \r\n\t "), 400, null, "only whitespace");
        raw("empty body", "PUT", "/api/org", JSON, new byte[0], 400, null, "Content-Length: 0");
        raw("empty body", "POST", "/post", JSON, null, 400, null, "no body at all");

        // ---- blank where required, too long, unpaired surrogates, unknown roles, missing rows (422)
        json("blank", "POST", "/orgs", "{\"name\":\"\",\"description\":\"\"}", 422, "name", "empty name");
        json("blank", "PUT", org, "{\"name\":\" \\t\\n \",\"description\":\"\"}", 422, "name", "whitespace name");
        json("blank", "POST", "/posts", "{\"title\":\"\",\"body\":\"b\"}", 422, "title", "empty title");
        json("blank", "PUT", pst, "{\"title\":\"   \",\"body\":\"b\"}", 422, "title", "spaces title");
        json("blank", "POST", "/users", "{\"email\":\"\"}", 422, "email", "empty email");
        json("blank", "POST", "/users", "{\"email\":\"  \"}", 422, "email", "spaces email");
        json("blank", "POST", "/api/org", "{\"name\":\"\\u3000\",\"description\":\"\"}", 422, "name", "ideographic space name");
        json("blank", "POST", "/post", "{\"title\":\" \",\"body\":\"\"}", 422, "title", "space title");
        json("too long", "POST", "/orgs", "{\"name\":\"" + u256 + "\",\"description\":\"\"}", 422, "name", "name of 256 characters");
        json("too long", "PUT", org, "{\"name\":\"" + emoji256 + "\",\"description\":\"\"}", 422, "name", "name of 256 astral characters");
        json("too long", "POST", "/orgs", "{\"name\":\"n\",\"description\":\"\",\"url\":\"" + url2049 + "\"}", 422, "url", "url of 2049");
        json("too long", "POST", "/orgs", "{\"name\":\"n\",\"description\":\"" + text65536 + "\"}", 422, "description",
                "description of 65536 bytes");
        json("too long", "PUT", org, "{\"name\":\"n\",\"description\":\"" + euro21846 + "\"}", 422, "description",
                "description of 21846 three-byte characters");
        json("too long", "POST", "/api/org", "{\"name\":\"" + u256 + "\",\"description\":\"\"}", 422, "name", "name of 256 characters");
        json("too long", "PUT", "/api/org", "{\"id\":" + orgA + ",\"name\":\"n\",\"description\":\"\",\"url\":\"" + url2049 + "\"}", 422,
                "url", "url of 2049");
        json("too long", "POST", "/posts", "{\"title\":\"" + u256 + "\",\"body\":\"\"}", 422, "title", "title of 256");
        json("too long", "POST", "/posts", "{\"title\":\"t\",\"body\":\"" + e32768 + "\"}", 422, "body", "body of 32768 two-byte characters");
        json("too long", "PUT", pst, "{\"title\":\"t\",\"body\":\"" + rocket16384 + "\"}", 422, "body", "body of 16384 four-byte characters");
        json("too long", "POST", "/post", "{\"title\":\"t\",\"body\":\"" + euro21846 + "\"}", 422, "body",
                "body of 21846 three-byte characters");
        json("too long", "POST", "/post", "{\"title\":\"" + emoji256 + "\",\"body\":\"\"}", 422, "title", "title of 256 astral characters");
        json("too long", "POST", "/users", "{\"email\":\"" + email321 + "\"}", 422, "email", "email of 321");
        json("too long", "POST", "/users", "{\"email\":\"l1@x.test\",\"name\":\"" + u256 + "\"}", 422, "name", "name of 256");
        json("too long", "PUT", usr, "{\"name\":\"" + emoji256 + "\"}", 422, "name", "name of 256 astral characters");
        json("surrogate", "POST", "/orgs", "{\"name\":\"a\\ud800b\",\"description\":\"\"}", 422, "name", "lone high surrogate");
        json("surrogate", "POST", "/orgs", "{\"name\":\"n\",\"description\":\"x\\udc00\"}", 422, "description", "lone low surrogate");
        json("surrogate", "POST", "/posts", "{\"title\":\"\\udfff\\ud800\",\"body\":\"\"}", 422, "title", "pair in the wrong order");
        json("surrogate", "PUT", pst, "{\"title\":\"t\",\"body\":\"\\ud83d\"}", 422, "body", "half an emoji at the end");
        json("surrogate", "POST", "/users", "{\"email\":\"\\ud800@x.test\"}", 422, "email", "in the e-mail");
        json("surrogate", "PUT", usr, "{\"name\":\"\\udbff\"}", 422, "name", "in the name");
        json("surrogate", "POST", "/api/org", "{\"name\":\"n\",\"description\":\"\",\"url\":\"https://x.test/\\ud800\"}", 422, "url",
                "in the url");
        json("surrogate", "POST", "/post", "{\"title\":\"t\",\"body\":\"\\udc00\\udc00\"}", 422, "body", "two low surrogates");
        json("bad value", "POST", "/users", "{\"email\":\"r1@x.test\",\"role\":\"admin\"}", 422, "role", "role in lower case");
        json("bad value", "POST", "/users", "{\"email\":\"r2@x.test\",\"role\":\"\"}", 422, "role", "empty role");
        json("bad value", "PUT", usr, "{\"role\":\"ROOT\"}", 422, "role", "unknown role");
        json("bad value", "POST", "/users", "{\"email\":\"no-at-sign\"}", 422, "email", "not an e-mail address");
        json("missing row", "POST", "/posts", "{\"title\":\"t\",\"body\":\"b\",\"author_id\":" + MAX + "}", 422, "author_id",
                "no such author");
        json("missing row", "POST", "/users", "{\"email\":\"m1@x.test\",\"org_id\":" + MAX + "}", 422, "org_id", "no such org");

        // ---- invalid UTF-8 (400)
        raw("invalid UTF-8", "POST", "/orgs", JSON, invalidUtf8, 400, null, "Latin-1 e-acute");
        raw("invalid UTF-8", "POST", "/posts", JSON,
                concat(utf8("{\"title\":\""), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\",\"body\":\"\"}")), 400, null, "overlong '/'");
        raw("invalid UTF-8", "PUT", pst, JSON,
                concat(utf8("{\"title\":\""), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\",\"body\":\"\"}")), 400, null,
                "an encoded surrogate (CESU-8)");
        raw("invalid UTF-8", "POST", "/users", JSON, concat(utf8("{\"email\":\"a@b.c\",\"name\":\""), new byte[] {(byte) 0x80},
                utf8("\"}")), 400, null, "a lone continuation byte");
        raw("invalid UTF-8", "PUT", "/api/org", JSON, concat(utf8("{\"id\":" + orgA + ",\"name\":\"n\",\"description\":\""),
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, utf8("\"}")), 400, null, "a code point above U+10FFFF");
        raw("invalid UTF-8", "POST", "/post", JSON, concat(utf8("{\"title\":\"t\",\"body\":\""), new byte[] {(byte) 0xE2, (byte) 0x82}),
                400, null, "a sequence cut off at the end");
        raw("invalid UTF-8", "POST", "/api/org", JSON, concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, utf16le(validOrg)), 400, null,
                "UTF-16LE with a byte order mark");

        // ---- wrong content types (415)
        raw("content type", "POST", "/orgs", "text/plain", utf8(validOrg), 415, null, "text/plain");
        raw("content type", "POST", "/posts", "application/xml", utf8("<post><title>t</title></post>"), 415, null, "application/xml");
        raw("content type", "POST", "/users", null, utf8("{\"email\":\"ct1@x.test\"}"), 415, null, "no Content-Type");
        raw("content type", "PUT", pst, "application/json; charset=latin1", utf8(validPost), 415, null, "charset=latin1");
        raw("content type", "PUT", usr, "application/x-www-form-urlencoded", utf8("name=x"), 415, null, "a form");
        raw("content type", "POST", "/api/org", "text/json", utf8(validOrg), 415, null, "text/json");
        raw("content type", "PUT", "/api/org", "application/octet-stream", utf8("{\"id\":" + orgA + "}"), 415, null, "octet-stream");
        raw("content type", "POST", "/post", "application/json; charset=utf-16", utf16le(validPost), 415, null, "charset=utf-16");
        raw("content type", "PUT", org, "multipart/form-data; boundary=x", utf8("--x--"), 415, null, "multipart");

        // ---- duplicates (409)
        json("duplicate", "POST", "/orgs", "{\"name\":\"" + ORG_A + "\",\"description\":\"\"}", 409, "name", "an existing name");
        json("duplicate", "PUT", "/orgs/" + orgB, "{\"name\":\"" + ORG_A + "\",\"description\":\"\"}", 409, "name", "renamed onto another");
        json("duplicate", "POST", "/api/org", "{\"name\":\"" + ORG_A.toUpperCase(Locale.ROOT) + "\",\"description\":\"\"}", 409, "name",
                "an existing name in upper case");
        json("duplicate", "PUT", "/api/org", "{\"id\":" + orgB + ",\"name\":\"" + ORG_A + "\",\"description\":\"\"}", 409, "name",
                "renamed onto another");
        json("duplicate", "POST", "/users", "{\"email\":\"" + EMAIL + "\"}", 409, "email", "an existing e-mail");

        // ---- bad ids in paths (400) and unknown ids (404)
        bare("path id", "GET", "/orgs/abc", 400, "id", "letters");
        bare("path id", "GET", "/orgs/-1", 400, "id", "negative");
        bare("path id", "DELETE", "/orgs/0", 400, "id", "zero");
        bare("path id", "GET", "/orgs/99999999999999999999", 400, "id", "20 digits");
        json("path id", "PUT", "/orgs/1.5", validOrg, 400, "id", "a fraction");
        bare("path id", "GET", "/orgs/1e3/members", 400, "id", "an exponent");
        bare("path id", "GET", "/posts/%201", 400, "id", "a leading space");
        bare("path id", "DELETE", "/posts/0x10", 400, "id", "hexadecimal");
        bare("path id", "POST", "/posts/abc/publish", 400, "id", "letters");
        bare("path id", "GET", "/users/-9223372036854775808", 400, "id", "Long.MIN_VALUE");
        json("path id", "PUT", "/users/1%3B%20DROP%20TABLE%20users", "{\"name\":\"x\"}", 400, "id", "SQL in the id");
        bare("path id", "GET", "/users/%EF%BC%91/posts", 400, "id", "a fullwidth digit one");
        bare("path id", "GET", "/posts/%zz", 400, null, "an invalid percent escape");
        bare("path id", "GET", "/posts/1 2", 400, null, "a raw space: not valid HTTP");
        bare("path id", "GET", "/posts/%00", 400, "id", "a NUL");
        bare("path name", "GET", "/orgs/by-name/%FF%FE", 400, "name", "percent-encoded bytes that are not UTF-8");
        bare("path name", "GET", "/users/by-email/a%C0%AF%40x.test", 400, "email", "a percent-encoded overlong '/'");
        bare("path name", "GET", "/api/org/%C3%28", 400, "name", "a percent-encoded broken two-byte sequence");
        bare("path id", "DELETE", "/api/org/abc", 400, "id", "letters");
        bare("path id", "DELETE", "/api/org/-1", 400, "id", "negative");
        bare("path id", "DELETE", "/api/org/0", 400, "id", "zero");
        bare("path id", "DELETE", "/api/org/1.5", 400, "id", "a fraction");
        bare("path id", "DELETE", "/api/org/99999999999999999999", 400, "id", "20 digits");
        bare("path id", "DELETE", "/api/org/%D9%A1", 400, "id", "an Arabic-Indic digit one");
        bare("path id", "GET", "/post/abc", 400, "id", "letters");
        bare("path id", "PATCH", "/post/-1", 400, "id", "negative");
        bare("path id", "DELETE", "/post/1e3", 400, "id", "an exponent");
        bare("unknown id", "GET", "/orgs/" + MAX, 404, null, "no such org");
        json("unknown id", "PUT", "/orgs/" + MAX, validOrg, 404, null, "no such org");
        bare("unknown id", "GET", "/orgs/" + MAX + "/members", 404, null, "no such org");
        bare("unknown id", "GET", "/orgs/by-name/no-such-org", 404, null, "no such name");
        bare("unknown id", "POST", "/posts/" + MAX + "/publish", 404, null, "no such post");
        json("unknown id", "PUT", "/posts/" + MAX, validPost, 404, null, "no such post");
        bare("unknown id", "DELETE", "/users/" + MAX, 404, null, "no such user");
        bare("unknown id", "GET", "/users/by-email/nobody%40example.test", 404, null, "no such e-mail");
        json("unknown id", "PUT", "/api/org", "{\"id\":" + MAX + ",\"name\":\"n\",\"description\":\"\"}", 404, null, "no such org");
        bare("unknown id", "DELETE", "/api/org/" + MAX, 404, null, "no such org");
        bare("unknown id", "GET", "/api/org/no-such-org", 404, null, "no such name");
        bare("unknown id", "PATCH", "/post/" + MAX, 404, null, "no such post");

        // ---- bad query parameters (400)
        bare("query", "GET", "/orgs?limit=abc", 400, "limit", "letters");
        bare("query", "GET", "/orgs?limit=0", 400, "limit", "zero");
        bare("query", "GET", "/orgs?limit=100000", 400, "limit", "over 1000");
        bare("query", "GET", "/orgs?after=-5", 400, "after", "negative");
        bare("query", "GET", "/orgs?limit=", 400, "limit", "empty");
        bare("query", "GET", "/orgs/" + orgA + "/members?limit=1001", 400, "limit", "1001");
        bare("query", "GET", "/orgs/" + orgA + "/members?after=1.5", 400, "after", "a fraction");
        bare("query", "GET", "/posts?published=maybe", 400, "published", "maybe");
        bare("query", "GET", "/posts?published=TRUE", 400, "published", "upper case");
        bare("query", "GET", "/posts?limit=-1", 400, "limit", "negative");
        bare("query", "GET", "/posts?after=9223372036854775808", 400, "after", "Long.MAX_VALUE + 1");
        bare("query", "GET", "/posts?published=true&limit=1e2", 400, "limit", "an exponent");
        bare("query", "GET", "/posts?limit=%EF%BC%95", 400, "limit", "a fullwidth digit five");
        bare("query", "GET", "/posts?published=%zz", 400, null, "an invalid percent escape");
        bare("query", "GET", "/orgs?limit=%FF", 400, "limit", "a percent-encoded byte that is not UTF-8");

        // ---- unknown routes (404)
        bare("unknown route", "GET", "/nope", 404, null, "nothing there");
        bare("unknown route", "GET", "/orgs/" + orgA + "/nope", 404, null, "below an org");
        bare("unknown route", "POST", "/posts/" + post + "/publish/now", 404, null, "below an action");
        bare("unknown route", "GET", "/users/" + user + "/posts/1", 404, null, "below a user's posts");
        bare("unknown route", "GET", "/api/nope", 404, null, "below /api");
        bare("unknown route", "GET", "/api/org/a/b", 404, null, "two segments after /api/org");
        bare("unknown route", "GET", "/count-post/1", 404, null, "below /count-post");
        bare("unknown route", "GET", "/postz", 404, null, "a near miss");

        // ---- wrong methods (405 with Allow)
        notAllowed("DELETE", "/orgs", "GET, POST");
        notAllowed("PATCH", org, "GET, PUT, DELETE");
        notAllowed("POST", "/orgs/by-name/" + ORG_A, "GET");
        notAllowed("POST", org + "/members", "GET");
        notAllowed("PUT", "/posts", "GET, POST");
        notAllowed("POST", pst, "GET, PUT, DELETE");
        notAllowed("GET", pst + "/publish", "POST");
        notAllowed("POST", "/posts/published/count", "GET");
        notAllowed("GET", "/users", "POST");
        notAllowed("PATCH", usr, "GET, PUT, DELETE");
        notAllowed("DELETE", "/users/by-email/" + "fixture%40example.test", "GET");
        notAllowed("POST", usr + "/posts", "GET");
        notAllowed("POST", "/api/info", "GET");
        notAllowed("GET", "/api/org", "POST, PUT");
        notAllowed("POST", "/api/org/list", "GET");
        notAllowed("DELETE", "/api/org/list", "GET");
        notAllowed("PUT", "/api/org/" + ORG_A, "GET, DELETE");
        notAllowed("GET", "/post", "POST");
        notAllowed("PUT", "/post/" + post, "GET, PATCH, DELETE");
        notAllowed("POST", "/count-post", "GET");

        // ---- bodies over server.max-payload-size (413)
        tooLarge("POST", "/orgs", 2_000_000);
        tooLarge("PUT", org, MAX_PAYLOAD + 1);
        tooLarge("POST", "/posts", 10L * MAX_PAYLOAD);
        tooLarge("POST", "/users", 2_000_000);
        tooLarge("POST", "/api/org", MAX_PAYLOAD + 1);
        tooLarge("PUT", "/api/org", 2_000_000);
        tooLarge("POST", "/post", 2_000_000);

        return CASES.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{index} {0}")
    @MethodSource("cases")
    void isAnsweredWithItsDocumentedProblem(Case c) throws IOException {
        Response response = send(c.method(), c.target(), c.contentType(), c.body(), c.declaredLength() > 0 ? c.declaredLength() : -1);
        String body = response.text();
        String shown = body.length() > 500 ? body.substring(0, 500) + "..." : body;
        assertEquals(c.status(), response.status(), "status; body: " + shown);
        assertEquals("application/problem+json", response.header("content-type"), shown);
        assertFalse(INTERNALS.matcher(body).find(), "no internals in: " + shown);
        JsonObject problem = Json.createReader(new StringReader(body)).readObject();
        assertEquals("about:blank", problem.getString("type"), shown);
        assertFalse(problem.getString("title").isBlank(), shown);
        assertEquals(c.status(), problem.getInt("status"), shown);
        assertFalse(problem.getString("detail").isBlank(), shown);
        if (c.field() != null) {
            assertEquals(c.field(), problem.getString("field", null), shown);
        }
        if (c.allow() != null) {
            assertEquals(c.allow(), response.header("allow"), shown);
        }
    }

    // ------------------------------------------------------------------ SQL metacharacters are text

    /** Quotes, semicolons, comments, backslashes, LIKE wildcards, backticks, every control character but NUL. */
    private static final String METACHARACTERS = "O'Brien \"quoted\"; DROP TABLE orgs; -- /* comment */ \\ back\\\\slash"
            + " 100% _under_ `tick` ' OR '1'='1 \\' \\\" \\0 \\n %s %_ " + controls();

    private static String controls() {
        StringBuilder out = new StringBuilder();
        for (char c = 1; c < 0x20; c++) {
            out.append(c);
        }
        return out.append('\u007F').toString();
    }

    @Order(2)
    @Test
    void anOrgWithSqlMetacharactersIsStoredAndFoundVerbatim() throws IOException {
        // With every line terminator a regular expression's '.' stops at, for the by-name route.
        String name = "org " + METACHARACTERS + " \u0085\u2028\u2029";
        String description = "description " + METACHARACTERS + " \u20AC\uD83D\uDE80";
        String url = "https://x.test/?q=' OR 1=1;--&p=%27%22&u=_%";
        Reply created = http.post("/orgs", "{\"name\":" + quote(name) + ",\"description\":" + quote(description) + ",\"url\":"
                + quote(url) + "}");
        assertEquals(201, created.status(), created.body());
        JsonObject read = http.get(created.location()).json();
        assertVerbatim(name, read.getString("name"));
        assertVerbatim(description, read.getString("description"));
        assertVerbatim(url, read.getString("url"));

        // By name (percent-encoded, sent as written): the exact name, not a LIKE pattern.
        Response byName = send("GET", "/orgs/by-name/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"), null,
                null, -1);
        assertEquals(200, byName.status(), byName.text());
        assertEquals(read, Json.createReader(new StringReader(byName.text())).readObject());
        assertEquals(404, send("GET", "/orgs/by-name/%25", null, null, -1).status(), "'%' is no wildcard");
        assertEquals(404, send("GET", "/orgs/by-name/fixture-org-_", null, null, -1).status(), "'_' is no wildcard");

        // And through the drop-in route, which replaces the whole org.
        String renamed = "renamed " + METACHARACTERS;
        long id = read.getJsonNumber("id").longValueExact();
        Reply updated = http.put("/api/org", "{\"id\":" + id + ",\"name\":" + quote(renamed) + ",\"description\":" + quote(description)
                + ",\"created_at\":\"'; --\"}");
        assertEquals(200, updated.status(), updated.body());
        assertVerbatim(renamed, http.get("/orgs/" + id).json().getString("name"));
    }

    @Order(3)
    @Test
    void aPostWithSqlMetacharactersIsStoredVerbatim() {
        String title = "post " + METACHARACTERS;
        String body = "body " + METACHARACTERS + "\r\n" + METACHARACTERS;
        Reply created = http.post("/posts", "{\"title\":" + quote(title) + ",\"body\":" + quote(body) + ",\"author_id\":" + user + "}");
        assertEquals(201, created.status(), created.body());
        JsonObject read = http.get(created.location()).json();
        assertVerbatim(title, read.getString("title"));
        assertVerbatim(body, read.getString("body"));

        Reply legacy = http.post("/post", "{\"title\":" + quote(title) + ",\"body\":" + quote(body) + ",\"published\":true}");
        assertEquals(201, legacy.status(), legacy.body());
        JsonObject legacyRead = http.get("/post/" + legacy.json().getJsonNumber("id")).json();
        assertVerbatim(title, legacyRead.getString("title"));
        assertVerbatim(body, legacyRead.getString("body"));
    }

    @Order(4)
    @Test
    void aUserWithSqlMetacharactersIsStoredAndFoundVerbatim() throws IOException {
        String email = "o'brien\"x;--/**/\\%_`" + "@example.test";
        String name = "user " + METACHARACTERS;
        Reply created = http.post("/users", "{\"email\":" + quote(email) + ",\"name\":" + quote(name) + ",\"role\":\"ADMIN\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject read = http.get(created.location()).json();
        assertVerbatim(email, read.getString("email"));
        assertVerbatim(name, read.getString("name"));

        Response byEmail = send("GET", "/users/by-email/" + URLEncoder.encode(email, StandardCharsets.UTF_8).replace("+", "%20"),
                null, null, -1);
        assertEquals(200, byEmail.status(), byEmail.text());
        assertEquals(read, Json.createReader(new StringReader(byEmail.text())).readObject());
        assertEquals(404, send("GET", "/users/by-email/%25%40example.test", null, null, -1).status(), "'%' is no wildcard");

        // NEL (U+0085) is no whitespace to Java, so it may be in an address, and found by it.
        String nel = "next\u0085line@example.test";
        assertEquals(201, http.post("/users", "{\"email\":" + quote(nel) + "}").status());
        Response byNel = send("GET", "/users/by-email/" + URLEncoder.encode(nel, StandardCharsets.UTF_8), null, null, -1);
        assertEquals(200, byNel.status(), byNel.text());
        assertVerbatim(nel, Json.createReader(new StringReader(byNel.text())).readObject().getString("email"));

        String renamed = "renamed " + METACHARACTERS;
        Reply updated = http.put(created.location(), "{\"name\":" + quote(renamed) + "}");
        assertEquals(200, updated.status(), updated.body());
        assertVerbatim(renamed, http.get(created.location()).json().getString("name"));
    }

    @Order(5)
    @Test
    void aNameWithTheReplacementCharacterIsFoundByItsUtf8BytesOnly() throws IOException {
        String name = "replacement \uFFFD character";
        assertEquals(201, http.post("/orgs", "{\"name\":" + quote(name) + ",\"description\":\"\"}").status());
        Response found = send("GET", "/orgs/by-name/replacement%20%EF%BF%BD%20character", null, null, -1);
        assertEquals(200, found.status(), found.text());
        assertVerbatim(name, Json.createReader(new StringReader(found.text())).readObject().getString("name"));
        Response legacy = send("GET", "/api/org/replacement%20%EF%BF%BD%20character", null, null, -1);
        assertEquals(200, legacy.status(), legacy.text());
        // A byte that is not UTF-8 is not the replacement character: no alias of this org.
        Response alias = send("GET", "/orgs/by-name/replacement%20%FF%20character", null, null, -1);
        assertEquals(400, alias.status(), alias.text());
    }

    private static void assertVerbatim(String sent, String stored) {
        assertArrayEquals(sent.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8), "stored: " + stored);
    }

    // ------------------------------------------------------------------ afterwards

    @Order(6)
    @Test
    void theServerIsStillReadyAndServesNormalRequests() {
        assertEquals(200, http.get("/observe/health/ready").status());
        Reply created = http.post("/orgs", "{\"name\":\"after-the-storm\",\"description\":\"still here\",\"url\":null}");
        assertEquals(201, created.status(), created.body());
        assertEquals("after-the-storm", http.get(created.location()).json().getString("name"));
        Reply legacyPost = http.post("/post", "{\"title\":\"t\",\"body\":\"b\",\"published\":true}");
        assertEquals(201, legacyPost.status(), legacyPost.body());
        Reply count = http.get("/count-post");
        assertEquals(200, count.status());
        assertTrue(count.body().matches("Have [0-9]+ posts"), count.body());
        // The fixtures the malformed requests aimed at are unchanged.
        assertEquals(ORG_A, http.get("/orgs/" + orgA).json().getString("name"));
        assertEquals(ORG_B, http.get("/orgs/" + orgB).json().getString("name"));
        JsonObject fixture = http.get("/users/" + user).json();
        assertEquals("Fix", fixture.getString("name"));
        assertEquals("USER", fixture.getString("role"));
        JsonObject fixturePost = http.get("/posts/" + post).json();
        assertEquals("fixture", fixturePost.getString("title"));
        assertEquals("b", fixturePost.getString("body"));
    }

    // ------------------------------------------------------------------ raw HTTP/1.1 over a socket

    record Response(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one request exactly as given (target not re-encoded), on a connection of its own, and
     * reads the answer by its length (the server keeps the connection open despite Connection: close). With {@code declaredLength} >= 0 only the headers and the
     * first bytes of the body are sent, announcing that many bytes.
     */
    private Response send(String method, String target, String contentType, byte[] body, long declaredLength)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", http.server().port())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (declaredLength >= 0) {
                head.append("Content-Length: ").append(declaredLength).append("\r\n");
            } else if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** Reads one response: the head, then the body by Content-Length, chunks, or up to the end. */
    private static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertTrue(b >= 0, "an HTTP response, got: " + headBytes.toString(StandardCharsets.ISO_8859_1));
            headBytes.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
        assertTrue(lines[0].startsWith("HTTP/1.1 "), lines[0]);
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf16le(String text) {
        return text.getBytes(StandardCharsets.UTF_16LE);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, the rest as is. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
