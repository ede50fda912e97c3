package dev.sqlkit.server;

import static dev.sqlkit.server.MalformedRequest.Fixtures.EMAIL;
import static dev.sqlkit.server.MalformedRequest.Fixtures.ORG_NAME;
import static dev.sqlkit.server.MalformedRequest.bytes;
import static dev.sqlkit.server.MalformedRequest.delete;
import static dev.sqlkit.server.MalformedRequest.get;
import static dev.sqlkit.server.MalformedRequest.patch;
import static dev.sqlkit.server.MalformedRequest.post;
import static dev.sqlkit.server.MalformedRequest.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sqlkit.server.MalformedRequest.Fixtures;
import dev.sqlkit.server.RawHttp.Response;
import dev.sqlkit.server.RunningServer.Reply;

/**
 * Tables of malformed requests over every route (canonical and drop-in), each sent as raw bytes
 * over a socket so that the request line, headers and body are exactly as written: every one must
 * get its documented 4xx problem document (never a 500, never a success), and the server must still
 * be ready and working afterwards. SQL metacharacters, by contrast, are valid text: they are stored
 * and read back byte for byte.
 *
 * <p>Each kind of mistake is a table: a static method below, one line a request (see
 * {@link MalformedRequest}), joined into the {@code @MethodSource} by {@link #everyMalformedRequest}.
 * To add a case, add a line to the table of its kind. No test depends on another having run.
 */
@WithServer
@TestInstance(Lifecycle.PER_CLASS) // one instance: the fixtures are created once, before any test, and read by all
class MalformedRequestsTest {

    /** server.max-payload-size in application.yaml. */
    private static final int MAX_PAYLOAD = 1024 * 1024;
    private static final long NO_SUCH_ID = Long.MAX_VALUE;
    private static final String VALID_ORG = "{\"name\":\"valid-unused\",\"description\":\"\"}";
    private static final String VALID_POST = "{\"title\":\"t\",\"body\":\"b\"}";
    /** Internals a problem document must never reveal: exception names, stack frames, packages. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|Throwable|\\tat |\\bat [a-z]+\\.[a-z]|\\b(java|javax|jakarta|sun|io\\.helidon|org\\.eclipse|org\\.jooq|"
                    + "com\\.mysql|org\\.mariadb|com\\.zaxxer|dev\\.sqlkit)\\.[a-zA-Z]");

    private RunningServer http;
    private Fixtures fixtures;

    @BeforeAll
    void createFixtures(RunningServer server) {
        http = server;
        fixtures = Fixtures.createIn(server);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMalformedRequest")
    void isRefusedWithItsDocumentedProblem(MalformedRequest request) throws IOException {
        Response response = request.sendTo(http.server().port(), fixtures);
        String body = response.text();
        String shown = body.length() > 500 ? body.substring(0, 500) + "..." : body;
        assertEquals(request.status(), response.status(), "status; body: " + shown);
        assertEquals("application/problem+json", response.header("content-type"), shown);
        assertFalse(INTERNALS.matcher(body).find(), "no internals in: " + shown);
        JsonObject problem = response.json();
        assertEquals("about:blank", problem.getString("type"), shown);
        assertFalse(problem.getString("title").isBlank(), shown);
        assertEquals(request.status(), problem.getInt("status"), shown);
        assertFalse(problem.getString("detail").isBlank(), shown);
        if (request.field() != null) {
            assertEquals(request.field(), problem.getString("field", null), shown);
        }
        if (request.allow() != null) {
            assertEquals(request.allow(), response.header("allow"), shown);
        }
    }

    // ------------------------------------------------------------------ the tables

    /** One table per kind of mistake, below; a new table is added here. */
    static Stream<MalformedRequest> everyMalformedRequest() {
        return Stream.of(bodiesThatAreNoJsonObject(), bytesThatAreNotUtf8(), fieldsThatAreWrongOrMissing(), valuesThatCannotBeStored(),
                namesAndEmailsAlreadyTaken(), contentThatIsNotUtf8Json(), badPathAndQueryParameters(), idsAndNamesOfNoRow(),
                pathsAndMethodsNoRouteServes(), bodiesOverTheMaxPayloadSize()).flatMap(Function.identity());
    }

    /** Bodies that are no JSON object: cut off, another JSON value, not JSON, nested too deep, or nothing at all (400). */
    static Stream<MalformedRequest> bodiesThatAreNoJsonObject() {
        String deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
        Function<Integer, String> nestedObjects = depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        return Stream.of(
                // cut off
                post("/orgs").json("{\"name\":\"a\",\"description\":").expect(400).as("ends after a colon"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\"").expect(400).as("no closing brace"),
                post("/users").json("{\"email\":\"a@b.c").expect(400).as("ends inside a string"),
                put("/posts/{post}").json("{\"title\":\"t\",\"body\":\"\\u00").expect(400).as("ends inside an escape"),
                post("/api/org").json("{\"name\"").expect(400).as("ends after a key"),
                put("/api/org").json("{\"id\":{org},").expect(400).as("ends after a comma"),
                post("/post").json("{").expect(400).as("a lone brace"),
                // JSON, but not an object
                post("/posts").json("\"title\"").expect(400).as("a string"),
                post("/users").json("42").expect(400).as("a number"),
                put("/users/{user}").json("null").expect(400).as("null"),
                post("/api/org").json("true").expect(400).as("a boolean"),
                put("/api/org").json("[]").expect(400).as("an empty array"),
                post("/post").json("-1.5e3").expect(400).as("a number with an exponent"),
                put("/posts/{post}").json("\"\\ud800\"").expect(400).as("a string holding a lone surrogate"),
                post("/orgs").json("[" + VALID_ORG + "]").expect(400).as("an array"),
                // not JSON
                post("/orgs").json(VALID_ORG + " {}").expect(400).as("trailing content after the object"),
                post("/posts").json("{'title':'t','body':'b'}").expect(400).as("single quotes"),
                post("/users").json("{\"email\":\"a@b.c\",}").expect(400).as("trailing comma"),
                put("/users/{user}").json("{\"name\":NaN}").expect(400).as("NaN is not JSON"),
                post("/post").json("{\"title\":\"a\tb\",\"body\":\"\"}").expect(400).as("raw control character in a string"),
                // nested deeper than the parser allows
                post("/orgs").json("{\"name\":" + deepArrays + ",\"description\":\"\"}").expect(400).as("100000 nested arrays as a value"),
                post("/posts").json(deepArrays).expect(400).as("100000 nested arrays at the top"),
                post("/users").json("{\"email\":\"a@b.c\",\"name\":" + nestedObjects.apply(50) + "}").expect(400).as("50 nested objects"),
                post("/api/org").json("{\"name\":" + nestedObjects.apply(20_000) + "}").expect(400).as("20000 nested objects"),
                // nothing at all
                post("/orgs").json("").expect(400).as("Content-Length: 0"),
                put("/posts/{post}").json("").expect(400).as("Content-Length: 0"),
                post("/users").json(" \r\n\t ").expect(400).as("only whitespace"),
                put("/api/org").json("").expect(400).as("Content-Length: 0"),
                post("/post").contentType("application/json").expect(400).as("no body at all"));
    }

    /** Bodies that are not UTF-8 (400). */
    static Stream<MalformedRequest> bytesThatAreNotUtf8() {
        return Stream.of(
                post("/orgs").json(bytes("{\"name\":\"caf", 0xE9, "\",\"description\":\"\"}")).expect(400).as("Latin-1 e-acute"),
                post("/posts").json(bytes("{\"title\":\"", 0xC0, 0xAF, "\",\"body\":\"\"}")).expect(400).as("overlong '/'"),
                put("/posts/{post}").json(bytes("{\"title\":\"", 0xED, 0xA0, 0x80, "\",\"body\":\"\"}")).expect(400).as("an encoded surrogate (CESU-8)"),
                post("/users").json(bytes("{\"email\":\"a@b.c\",\"name\":\"", 0x80, "\"}")).expect(400).as("a lone continuation byte"),
                put("/api/org").json(bytes("{\"id\":{org},\"name\":\"n\",\"description\":\"", 0xF4, 0x90, 0x80, 0x80, "\"}")).expect(400).as("a code point above U+10FFFF"),
                post("/post").json(bytes("{\"title\":\"t\",\"body\":\"", 0xE2, 0x82)).expect(400).as("a sequence cut off at the end"),
                post("/api/org").json(bytes(0xFF, 0xFE, VALID_ORG.getBytes(StandardCharsets.UTF_16LE))).expect(400).as("UTF-16LE with a byte order mark"));
    }

    /** Fields of the wrong type, numbers that are no ids, fields missing, unknown or given twice (400 naming the field). */
    static Stream<MalformedRequest> fieldsThatAreWrongOrMissing() {
        return Stream.of(
                // the wrong JSON type
                post("/orgs").json("{\"name\":42,\"description\":\"\"}").expect(400).field("name").as("string field given a number"),
                post("/orgs").json("{\"name\":\"n\",\"description\":false}").expect(400).field("description").as("string field given a boolean"),
                post("/orgs").json("{\"name\":\"n\",\"description\":\"\",\"url\":{\"href\":\"x\"}}").expect(400).field("url").as("string field given an object"),
                put("/orgs/{org}").json("{\"name\":[\"n\"],\"description\":\"\"}").expect(400).field("name").as("string field given an array"),
                post("/posts").json("{\"title\":\"t\",\"body\":null}").expect(400).field("body").as("required string given null"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"published\":\"true\"}").expect(400).field("published").as("boolean field given a string"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"published\":1}").expect(400).field("published").as("boolean field given a number"),
                post("/post").json("{\"title\":\"t\",\"body\":\"b\",\"published\":\"yes\"}").expect(400).field("published").as("boolean field given 'yes'"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":\"{user}\"}").expect(400).field("author_id").as("id field given a string"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":true}").expect(400).field("author_id").as("id field given a boolean"),
                post("/users").json("{\"email\":\"w1@x.test\",\"org_id\":[{org}]}").expect(400).field("org_id").as("id field given an array"),
                post("/users").json("{\"email\":12345}").expect(400).field("email").as("string field given a number"),
                post("/users").json("{\"email\":\"w2@x.test\",\"name\":true}").expect(400).field("name").as("optional string given a boolean"),
                post("/users").json("{\"email\":\"w3@x.test\",\"role\":1}").expect(400).field("role").as("role given a number"),
                put("/users/{user}").json("{\"role\":false}").expect(400).field("role").as("role given a boolean"),
                put("/api/org").json("{\"id\":\"{org}\",\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("id given as a string"),
                // numbers that are no ids
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":1e400}").expect(400).field("author_id").as("1e400"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":99999999999999999999999}").expect(400).field("author_id").as("23 digits"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":-1}").expect(400).field("author_id").as("negative"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":0}").expect(400).field("author_id").as("zero"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":1.5}").expect(400).field("author_id").as("a fraction"),
                post("/users").json("{\"email\":\"n1@x.test\",\"org_id\":1e-400}").expect(400).field("org_id").as("1e-400"),
                post("/users").json("{\"email\":\"n2@x.test\",\"org_id\":9223372036854775808}").expect(400).field("org_id").as("Long.MAX_VALUE + 1"),
                post("/users").json("{\"email\":\"n3@x.test\",\"org_id\":-9223372036854775808}").expect(400).field("org_id").as("Long.MIN_VALUE"),
                put("/api/org").json("{\"id\":1.5,\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("a fraction"),
                put("/api/org").json("{\"id\":0,\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("zero"),
                put("/api/org").json("{\"id\":1e999999999,\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("1e999999999"),
                // missing or null where required
                post("/orgs").json("{\"description\":\"\"}").expect(400).field("name").as("no name"),
                put("/orgs/{org}").json("{\"name\":\"n\"}").expect(400).field("description").as("no description"),
                post("/posts").json("{\"body\":\"b\"}").expect(400).field("title").as("no title"),
                put("/posts/{post}").json("{\"title\":\"t\"}").expect(400).field("body").as("no body"),
                post("/users").json("{}").expect(400).field("email").as("an empty object"),
                put("/api/org").json("{\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("no id"),
                put("/api/org").json("{\"id\":null,\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("id null"),
                post("/post").json("{\"title\":\"t\"}").expect(400).field("body").as("no body"),
                // unknown, or not this request's to set
                post("/orgs").json("{\"name\":\"n\",\"description\":\"\",\"website\":\"x\"}").expect(400).field("website").as("website"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author\":1}").expect(400).field("author").as("author (for author_id)"),
                put("/posts/{post}").json("{\"title\":\"t\",\"body\":\"b\",\"published\":true}").expect(400).field("published").as("published is not updatable"),
                post("/users").json("{\"email\":\"u1@x.test\",\"password\":\"hunter2\"}").expect(400).field("password").as("password"),
                put("/users/{user}").json("{\"email\":\"u2@x.test\"}").expect(400).field("email").as("email is not updatable"),
                post("/api/org").json("{\"id\":5,\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("id on create"),
                post("/post").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":{user}}").expect(400).field("author_id").as("author_id on the legacy route"),
                put("/api/org").json("{\"id\":{org},\"name\":\"n\",\"description\":\"\",\"members\":[]}").expect(400).field("members").as("members"),
                // the same key twice
                post("/orgs").json("{\"name\":\"a\",\"name\":\"b\",\"description\":\"\"}").expect(400).field("name").as("name twice"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"published\":false,\"published\":true}").expect(400).field("published").as("published twice"),
                post("/users").json("{\"email\":\"d@x.test\",\"email\":\"d@x.test\"}").expect(400).field("email").as("same value twice"),
                put("/api/org").json("{\"id\":{org},\"id\":{otherOrg},\"name\":\"n\",\"description\":\"\"}").expect(400).field("id").as("id twice"));
    }

    /** Well-formed values the rows cannot hold (422 naming the field). */
    static Stream<MalformedRequest> valuesThatCannotBeStored() {
        String chars256 = "x".repeat(256);
        String astral256 = "\uD83D\uDE80".repeat(256);
        String url2049 = "https://example.test/" + "u".repeat(2049 - 21);
        String ascii65536 = "x".repeat(65_536);
        String euro21846 = "\u20AC".repeat(21_846); // 3 bytes each: 65538 bytes, 21846 characters
        String eAcute32768 = "\u00E9".repeat(32_768); // 2 bytes each: exactly 65536 bytes
        String rocket16384 = "\uD83D\uDE80".repeat(16_384); // 4 bytes each: exactly 65536 bytes
        String email321 = "a".repeat(64) + "@" + "d".repeat(252) + ".test"; // 64 + 1 + 256 = 321
        return Stream.of(
                // longer than its column holds
                post("/orgs").json("{\"name\":\"" + chars256 + "\",\"description\":\"\"}").expect(422).field("name").as("name of 256 characters"),
                put("/orgs/{org}").json("{\"name\":\"" + astral256 + "\",\"description\":\"\"}").expect(422).field("name").as("name of 256 astral characters"),
                post("/orgs").json("{\"name\":\"n\",\"description\":\"\",\"url\":\"" + url2049 + "\"}").expect(422).field("url").as("url of 2049"),
                post("/orgs").json("{\"name\":\"n\",\"description\":\"" + ascii65536 + "\"}").expect(422).field("description").as("description of 65536 bytes"),
                put("/orgs/{org}").json("{\"name\":\"n\",\"description\":\"" + euro21846 + "\"}").expect(422).field("description").as("description of 21846 three-byte characters"),
                post("/api/org").json("{\"name\":\"" + chars256 + "\",\"description\":\"\"}").expect(422).field("name").as("name of 256 characters"),
                put("/api/org").json("{\"id\":{org},\"name\":\"n\",\"description\":\"\",\"url\":\"" + url2049 + "\"}").expect(422).field("url").as("url of 2049"),
                post("/posts").json("{\"title\":\"" + chars256 + "\",\"body\":\"\"}").expect(422).field("title").as("title of 256"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"" + eAcute32768 + "\"}").expect(422).field("body").as("body of 32768 two-byte characters"),
                put("/posts/{post}").json("{\"title\":\"t\",\"body\":\"" + rocket16384 + "\"}").expect(422).field("body").as("body of 16384 four-byte characters"),
                post("/post").json("{\"title\":\"t\",\"body\":\"" + euro21846 + "\"}").expect(422).field("body").as("body of 21846 three-byte characters"),
                post("/post").json("{\"title\":\"" + astral256 + "\",\"body\":\"\"}").expect(422).field("title").as("title of 256 astral characters"),
                post("/users").json("{\"email\":\"" + email321 + "\"}").expect(422).field("email").as("email of 321"),
                post("/users").json("{\"email\":\"l1@x.test\",\"name\":\"" + chars256 + "\"}").expect(422).field("name").as("name of 256"),
                put("/users/{user}").json("{\"name\":\"" + astral256 + "\"}").expect(422).field("name").as("name of 256 astral characters"),
                // blank where required
                post("/orgs").json("{\"name\":\"\",\"description\":\"\"}").expect(422).field("name").as("empty name"),
                put("/orgs/{org}").json("{\"name\":\" \\t\\n \",\"description\":\"\"}").expect(422).field("name").as("whitespace name"),
                post("/posts").json("{\"title\":\"\",\"body\":\"b\"}").expect(422).field("title").as("empty title"),
                put("/posts/{post}").json("{\"title\":\"   \",\"body\":\"b\"}").expect(422).field("title").as("spaces title"),
                post("/users").json("{\"email\":\"\"}").expect(422).field("email").as("empty email"),
                post("/users").json("{\"email\":\"  \"}").expect(422).field("email").as("spaces email"),
                post("/api/org").json("{\"name\":\"\\u3000\",\"description\":\"\"}").expect(422).field("name").as("ideographic space name"),
                post("/post").json("{\"title\":\" \",\"body\":\"\"}").expect(422).field("title").as("space title"),
                // half a surrogate pair: no character at all
                post("/orgs").json("{\"name\":\"a\\ud800b\",\"description\":\"\"}").expect(422).field("name").as("lone high surrogate"),
                post("/orgs").json("{\"name\":\"n\",\"description\":\"x\\udc00\"}").expect(422).field("description").as("lone low surrogate"),
                post("/posts").json("{\"title\":\"\\udfff\\ud800\",\"body\":\"\"}").expect(422).field("title").as("pair in the wrong order"),
                put("/posts/{post}").json("{\"title\":\"t\",\"body\":\"\\ud83d\"}").expect(422).field("body").as("half an emoji at the end"),
                post("/users").json("{\"email\":\"\\ud800@x.test\"}").expect(422).field("email").as("in the e-mail"),
                put("/users/{user}").json("{\"name\":\"\\udbff\"}").expect(422).field("name").as("in the name"),
                post("/api/org").json("{\"name\":\"n\",\"description\":\"\",\"url\":\"https://x.test/\\ud800\"}").expect(422).field("url").as("in the url"),
                post("/post").json("{\"title\":\"t\",\"body\":\"\\udc00\\udc00\"}").expect(422).field("body").as("two low surrogates"),
                // a value outside its set, a reference to no row
                post("/users").json("{\"email\":\"r1@x.test\",\"role\":\"admin\"}").expect(422).field("role").as("role in lower case"),
                post("/users").json("{\"email\":\"r2@x.test\",\"role\":\"\"}").expect(422).field("role").as("empty role"),
                put("/users/{user}").json("{\"role\":\"ROOT\"}").expect(422).field("role").as("unknown role"),
                post("/users").json("{\"email\":\"no-at-sign\"}").expect(422).field("email").as("not an e-mail address"),
                post("/posts").json("{\"title\":\"t\",\"body\":\"b\",\"author_id\":" + NO_SUCH_ID + "}").expect(422).field("author_id").as("no such author"),
                post("/users").json("{\"email\":\"m1@x.test\",\"org_id\":" + NO_SUCH_ID + "}").expect(422).field("org_id").as("no such org"));
    }

    /** Names and e-mails the fixtures already have (409 naming the field). */
    static Stream<MalformedRequest> namesAndEmailsAlreadyTaken() {
        String shouting = ORG_NAME.toUpperCase(Locale.ROOT);
        return Stream.of(
                post("/orgs").json("{\"name\":\"" + ORG_NAME + "\",\"description\":\"\"}").expect(409).field("name").as("an existing name"),
                put("/orgs/{otherOrg}").json("{\"name\":\"" + ORG_NAME + "\",\"description\":\"\"}").expect(409).field("name").as("renamed onto another"),
                post("/api/org").json("{\"name\":\"" + shouting + "\",\"description\":\"\"}").expect(409).field("name").as("an existing name in upper case"),
                put("/api/org").json("{\"id\":{otherOrg},\"name\":\"" + ORG_NAME + "\",\"description\":\"\"}").expect(409).field("name").as("renamed onto another"),
                post("/users").json("{\"email\":\"" + EMAIL + "\"}").expect(409).field("email").as("an existing e-mail"));
    }

    /** Content that is not JSON in UTF-8 (415). */
    static Stream<MalformedRequest> contentThatIsNotUtf8Json() {
        return Stream.of(
                post("/orgs").contentType("text/plain").body(VALID_ORG).expect(415).as("text/plain"),
                post("/posts").contentType("application/xml").body("<post><title>t</title></post>").expect(415).as("application/xml"),
                post("/users").body("{\"email\":\"ct1@x.test\"}").expect(415).as("no Content-Type"),
                put("/posts/{post}").contentType("application/json; charset=latin1").body(VALID_POST).expect(415).as("charset=latin1"),
                put("/users/{user}").contentType("application/x-www-form-urlencoded").body("name=x").expect(415).as("a form"),
                post("/api/org").contentType("text/json").body(VALID_ORG).expect(415).as("text/json"),
                put("/api/org").contentType("application/octet-stream").body("{\"id\":{org}}").expect(415).as("octet-stream"),
                post("/post").contentType("application/json; charset=utf-16").body(VALID_POST.getBytes(StandardCharsets.UTF_16LE)).expect(415).as("charset=utf-16"),
                put("/orgs/{org}").contentType("multipart/form-data; boundary=x").body("--x--").expect(415).as("multipart"));
    }

    /** Path and query parameters that are no ids or numbers in range, or not UTF-8 once percent-decoded (400). */
    static Stream<MalformedRequest> badPathAndQueryParameters() {
        return Stream.of(
                // path parameters
                get("/orgs/abc").expect(400).field("id").as("letters"),
                get("/orgs/-1").expect(400).field("id").as("negative"),
                delete("/orgs/0").expect(400).field("id").as("zero"),
                get("/orgs/99999999999999999999").expect(400).field("id").as("20 digits"),
                put("/orgs/1.5").json(VALID_ORG).expect(400).field("id").as("a fraction"),
                get("/orgs/1e3/members").expect(400).field("id").as("an exponent"),
                get("/posts/%201").expect(400).field("id").as("a leading space"),
                delete("/posts/0x10").expect(400).field("id").as("hexadecimal"),
                post("/posts/abc/publish").expect(400).field("id").as("letters"),
                get("/users/-9223372036854775808").expect(400).field("id").as("Long.MIN_VALUE"),
                put("/users/1%3B%20DROP%20TABLE%20users").json("{\"name\":\"x\"}").expect(400).field("id").as("SQL in the id"),
                get("/users/%EF%BC%91/posts").expect(400).field("id").as("a fullwidth digit one"),
                get("/posts/%zz").expect(400).as("an invalid percent escape"),
                get("/posts/1 2").expect(400).as("a raw space: not valid HTTP"),
                get("/posts/%00").expect(400).field("id").as("a NUL"),
                get("/orgs/by-name/%FF%FE").expect(400).field("name").as("percent-encoded bytes that are not UTF-8"),
                get("/users/by-email/a%C0%AF%40x.test").expect(400).field("email").as("a percent-encoded overlong '/'"),
                get("/api/org/%C3%28").expect(400).field("name").as("a percent-encoded broken two-byte sequence"),
                delete("/api/org/abc").expect(400).field("id").as("letters"),
                delete("/api/org/-1").expect(400).field("id").as("negative"),
                delete("/api/org/0").expect(400).field("id").as("zero"),
                delete("/api/org/1.5").expect(400).field("id").as("a fraction"),
                delete("/api/org/99999999999999999999").expect(400).field("id").as("20 digits"),
                delete("/api/org/%D9%A1").expect(400).field("id").as("an Arabic-Indic digit one"),
                get("/post/abc").expect(400).field("id").as("letters"),
                patch("/post/-1").expect(400).field("id").as("negative"),
                delete("/post/1e3").expect(400).field("id").as("an exponent"),
                // query parameters

                get("/orgs?limit=abc").expect(400).field("limit").as("letters"),
                get("/orgs?limit=0").expect(400).field("limit").as("zero"),
                get("/orgs?limit=100000").expect(400).field("limit").as("over 1000"),
                get("/orgs?after=-5").expect(400).field("after").as("negative"),
                get("/orgs?limit=").expect(400).field("limit").as("empty"),
                get("/orgs/{org}/members?limit=1001").expect(400).field("limit").as("1001"),
                get("/orgs/{org}/members?after=1.5").expect(400).field("after").as("a fraction"),
                get("/posts?published=maybe").expect(400).field("published").as("maybe"),
                get("/posts?published=TRUE").expect(400).field("published").as("upper case"),
                get("/posts?limit=-1").expect(400).field("limit").as("negative"),
                get("/posts?after=9223372036854775808").expect(400).field("after").as("Long.MAX_VALUE + 1"),
                get("/posts?published=true&limit=1e2").expect(400).field("limit").as("an exponent"),
                get("/posts?limit=%EF%BC%95").expect(400).field("limit").as("a fullwidth digit five"),
                get("/posts?published=%zz").expect(400).as("an invalid percent escape"),
                get("/orgs?limit=%FF").expect(400).field("limit").as("a percent-encoded byte that is not UTF-8"));
    }

    /** Ids and names of no row (404). */
    static Stream<MalformedRequest> idsAndNamesOfNoRow() {
        return Stream.of(
                get("/orgs/" + NO_SUCH_ID).expect(404).as("no such org"),
                put("/orgs/" + NO_SUCH_ID).json(VALID_ORG).expect(404).as("no such org"),
                get("/orgs/" + NO_SUCH_ID + "/members").expect(404).as("no such org"),
                get("/orgs/by-name/no-such-org").expect(404).as("no such name"),
                post("/posts/" + NO_SUCH_ID + "/publish").expect(404).as("no such post"),
                put("/posts/" + NO_SUCH_ID).json(VALID_POST).expect(404).as("no such post"),
                delete("/users/" + NO_SUCH_ID).expect(404).as("no such user"),
                get("/users/by-email/nobody%40example.test").expect(404).as("no such e-mail"),
                put("/api/org").json("{\"id\":" + NO_SUCH_ID + ",\"name\":\"n\",\"description\":\"\"}").expect(404).as("no such org"),
                delete("/api/org/" + NO_SUCH_ID).expect(404).as("no such org"),
                get("/api/org/no-such-org").expect(404).as("no such name"),
                patch("/post/" + NO_SUCH_ID).expect(404).as("no such post"));
    }

    /** Paths no route serves (404), and methods a path's route does not (405 with the Allow header of those it does). */
    static Stream<MalformedRequest> pathsAndMethodsNoRouteServes() {
        return Stream.of(
                get("/nope").expect(404).as("nothing there"),
                get("/orgs/{org}/nope").expect(404).as("below an org"),
                post("/posts/{post}/publish/now").expect(404).as("below an action"),
                get("/users/{user}/posts/1").expect(404).as("below a user's posts"),
                get("/api/nope").expect(404).as("below /api"),
                get("/api/org/a/b").expect(404).as("two segments after /api/org"),
                get("/count-post/1").expect(404).as("below /count-post"),
                get("/postz").expect(404).as("a near miss"),
                delete("/orgs").expect(405).allow("GET, POST"),
                patch("/orgs/{org}").expect(405).allow("GET, PUT, DELETE"),
                post("/orgs/by-name/fixture-org-a").expect(405).allow("GET"),
                post("/orgs/{org}/members").expect(405).allow("GET"),
                put("/posts").expect(405).allow("GET, POST"),
                post("/posts/{post}").expect(405).allow("GET, PUT, DELETE"),
                get("/posts/{post}/publish").expect(405).allow("POST"),
                post("/posts/published/count").expect(405).allow("GET"),
                get("/users").expect(405).allow("POST"),
                patch("/users/{user}").expect(405).allow("GET, PUT, DELETE"),
                delete("/users/by-email/fixture%40example.test").expect(405).allow("GET"),
                post("/users/{user}/posts").expect(405).allow("GET"),
                post("/api/info").expect(405).allow("GET"),
                get("/api/org").expect(405).allow("POST, PUT"),
                post("/api/org/list").expect(405).allow("GET"),
                delete("/api/org/list").expect(405).allow("GET"),
                put("/api/org/fixture-org-a").expect(405).allow("GET, DELETE"),
                get("/post").expect(405).allow("POST"),
                put("/post/{post}").expect(405).allow("GET, PATCH, DELETE"),
                post("/count-post").expect(405).allow("GET"));
    }

    /** Bodies over server.max-payload-size (413): only the first kilobyte is sent, so the server must answer from the announced length. */
    static Stream<MalformedRequest> bodiesOverTheMaxPayloadSize() {
        String start = "{\"name\":\"" + "x".repeat(1000);
        return Stream.of(
                post("/orgs").json(start).announcing(2_000_000).expect(413).as("over max-payload-size"),
                put("/orgs/{org}").json(start).announcing(MAX_PAYLOAD + 1).expect(413).as("over max-payload-size"),
                post("/posts").json(start).announcing(10L * MAX_PAYLOAD).expect(413).as("over max-payload-size"),
                post("/users").json(start).announcing(2_000_000).expect(413).as("over max-payload-size"),
                post("/api/org").json(start).announcing(MAX_PAYLOAD + 1).expect(413).as("over max-payload-size"),
                put("/api/org").json(start).announcing(2_000_000).expect(413).as("over max-payload-size"),
                post("/post").json(start).announcing(2_000_000).expect(413).as("over max-payload-size"));
    }

    // ------------------------------------------------------------------ afterwards

    @Test
    void theServerIsStillReadyAndServesNormalRequestsAfterEveryMalformedRequest() throws IOException {
        // Sent here rather than left to the test above, so that this holds whatever order tests run in
        // (their answers are checked there, one by one; here only what comes after counts).
        for (MalformedRequest request : everyMalformedRequest().toList()) {
            request.sendTo(http.server().port(), fixtures);
        }
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
        assertEquals(ORG_NAME, http.get("/orgs/" + fixtures.org()).json().getString("name"));
        assertEquals(Fixtures.OTHER_ORG_NAME, http.get("/orgs/" + fixtures.otherOrg()).json().getString("name"));
        JsonObject fixtureUser = http.get("/users/" + fixtures.user()).json();
        assertEquals(Fixtures.USER_NAME, fixtureUser.getString("name"));
        assertEquals("USER", fixtureUser.getString("role"));
        JsonObject fixturePost = http.get("/posts/" + fixtures.post()).json();
        assertEquals(Fixtures.POST_TITLE, fixturePost.getString("title"));
        assertEquals(Fixtures.POST_BODY, fixturePost.getString("body"));
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

        // By name: the exact name, not a LIKE pattern.
        assertFoundExactlyBy("/orgs/by-name/", name, read);
        assertEquals(404, rawGet("/orgs/by-name/%25").status(), "'%' is no wildcard");
        // As a LIKE pattern it would match both fixture orgs.
        assertEquals(404, rawGet("/orgs/by-name/fixture-org-_").status(), "'_' is no wildcard");

        // And through the drop-in route, which replaces the whole org.
        String renamed = "renamed " + METACHARACTERS;
        long id = read.getJsonNumber("id").longValueExact();
        Reply updated = http.put("/api/org", "{\"id\":" + id + ",\"name\":" + quote(renamed) + ",\"description\":" + quote(description)
                + ",\"created_at\":\"'; --\"}");
        assertEquals(200, updated.status(), updated.body());
        assertVerbatim(renamed, http.get("/orgs/" + id).json().getString("name"));
    }

    @Test
    void aPostWithSqlMetacharactersIsStoredVerbatim() {
        String title = "post " + METACHARACTERS;
        String body = "body " + METACHARACTERS + "\r\n" + METACHARACTERS;
        Reply created = http.post("/posts", "{\"title\":" + quote(title) + ",\"body\":" + quote(body) + ",\"author_id\":"
                + fixtures.user() + "}");
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

    @Test
    void aUserWithSqlMetacharactersIsStoredAndFoundVerbatim() throws IOException {
        String email = "o'brien\"x;--/**/\\%_`" + "@example.test";
        String name = "user " + METACHARACTERS;
        Reply created = http.post("/users", "{\"email\":" + quote(email) + ",\"name\":" + quote(name) + ",\"role\":\"ADMIN\"}");
        assertEquals(201, created.status(), created.body());
        JsonObject read = http.get(created.location()).json();
        assertVerbatim(email, read.getString("email"));
        assertVerbatim(name, read.getString("name"));

        assertFoundExactlyBy("/users/by-email/", email, read);
        assertEquals(404, rawGet("/users/by-email/%25%40example.test").status(), "'%' is no wildcard");

        // NEL (U+0085) is no whitespace to Java, so it may be in an address, and found by it.
        String nel = "next\u0085line@example.test";
        assertEquals(201, http.post("/users", "{\"email\":" + quote(nel) + "}").status());
        Response byNel = rawGet("/users/by-email/" + URLEncoder.encode(nel, StandardCharsets.UTF_8));
        assertEquals(200, byNel.status(), byNel.text());
        assertVerbatim(nel, byNel.json().getString("email"));

        String renamed = "renamed " + METACHARACTERS;
        Reply updated = http.put(created.location(), "{\"name\":" + quote(renamed) + "}");
        assertEquals(200, updated.status(), updated.body());
        assertVerbatim(renamed, http.get(created.location()).json().getString("name"));
    }

    @Test
    void aNameWithTheReplacementCharacterIsFoundByItsUtf8BytesOnly() throws IOException {
        String name = "replacement \uFFFD character";
        assertEquals(201, http.post("/orgs", "{\"name\":" + quote(name) + ",\"description\":\"\"}").status());
        Response found = rawGet("/orgs/by-name/replacement%20%EF%BF%BD%20character");
        assertEquals(200, found.status(), found.text());
        assertVerbatim(name, found.json().getString("name"));
        Response legacy = rawGet("/api/org/replacement%20%EF%BF%BD%20character");
        assertEquals(200, legacy.status(), legacy.text());
        // A byte that is not UTF-8 is not the replacement character: no alias of this org.
        Response alias = rawGet("/orgs/by-name/replacement%20%FF%20character");
        assertEquals(400, alias.status(), alias.text());
    }

    /** The row is what a GET of the route finds under the key, percent-encoded and sent as written. */
    private void assertFoundExactlyBy(String route, String key, JsonObject row) throws IOException {
        Response found = rawGet(route + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, found.status(), found.text());
        assertEquals(row, found.json());
    }

    /** A GET with its target sent as written, percent-escapes and all. */
    private Response rawGet(String target) throws IOException {
        return RawHttp.get(http.server().port(), target);
    }

    private static void assertVerbatim(String sent, String stored) {
        assertArrayEquals(sent.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8), "stored: " + stored);
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
