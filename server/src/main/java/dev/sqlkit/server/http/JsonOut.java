package dev.sqlkit.server.http;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Org;
import dev.sqlkit.dal.Page;
import dev.sqlkit.dal.Post;
import dev.sqlkit.dal.Reply;
import dev.sqlkit.dal.User;

/**
 * Writes the API's JSON documents as UTF-8 straight into one byte array, which is sent as it is.
 * The shapes are few and fixed, so a tree of JsonValues (or reflection) would only cost time, and
 * a StringBuilder would cost two more copies per response (to a String, then to bytes). Callers
 * say what to write ({@link #send}, {@link #sendPage}, ...), never how large a buffer to take.
 *
 * <p>Field names are snake_case, as in the APIs this server replaces; timestamps are ISO-8601
 * instants in UTC. Text is encoded exactly as {@code String.getBytes(UTF_8)} does, an unpaired
 * surrogate included (as '?').
 */
final class JsonOut {

    /** How a value of type {@code T} is written; usually one object of {@link #begin()}, fields and {@link #end()}. */
    @FunctionalInterface
    interface Shape<T> {
        void write(JsonOut json, T value);
    }

    static final Header PROBLEM_JSON = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/problem+json");
    /** Room for one row (a post with a body of a few hundred characters) without growing. */
    private static final int ROW_BYTES = 256;

    private byte[] bytes;
    private int length;
    /** A value has just been written, so the next key or array element needs a comma first. */
    private boolean isAfterValue;

    private JsonOut(int capacity) {
        bytes = new byte[capacity];
    }

    /** {@code value} as {@code application/json}. */
    static <T> void send(ServerResponse res, Status status, T value, Shape<T> shape) {
        JsonOut json = new JsonOut(ROW_BYTES);
        shape.write(json, value);
        json.send(res, status, HeaderValues.CONTENT_TYPE_JSON);
    }

    /** {@code value} as a write's answer, for {@link Writes}: the bytes are kept with an idempotency key. */
    static <T> Reply reply(Status status, String location, T value, Shape<T> shape) {
        JsonOut json = new JsonOut(ROW_BYTES);
        shape.write(json, value);
        return Reply.of(status.code(), location, Arrays.copyOf(json.bytes, json.length));
    }

    /** {@code {"items":[...],"next_after":id|null}}: the cursor for the next page, if any. */
    static <T> void sendPage(ServerResponse res, Page<T> page, Shape<T> item) {
        JsonOut json = new JsonOut(ROW_BYTES * (page.items().size() + 1));
        json.begin().field("items", page.items(), item).field("next_after", page.nextAfterId()).end();
        json.send(res, Status.OK_200, HeaderValues.CONTENT_TYPE_JSON);
    }

    /** A bare array, as the replaced APIs answered some lists. */
    static <T> void sendArray(ServerResponse res, List<T> items, Shape<T> item) {
        JsonOut json = new JsonOut(ROW_BYTES * (items.size() + 1));
        json.array(items, item);
        json.send(res, Status.OK_200, HeaderValues.CONTENT_TYPE_JSON);
    }

    /** An RFC 9457 problem document ({@link Problems} decides which failure gets which status). */
    static void sendProblem(ServerResponse res, Status status, String detail, String field) {
        problem(status, detail, field).send(res, status, PROBLEM_JSON);
    }

    /** The same problem document, for a response that Helidon sends itself. */
    static byte[] problemBytes(Status status, String detail, String field) {
        JsonOut json = problem(status, detail, field);
        return Arrays.copyOf(json.bytes, json.length);
    }

    private static JsonOut problem(Status status, String detail, String field) {
        JsonOut json = new JsonOut(ROW_BYTES);
        json.begin()
                .field("type", "about:blank")
                .field("title", status.reasonPhrase())
                .field("status", status.code())
                .field("detail", detail);
        if (field != null) {
            json.field("field", field);
        }
        return json.end();
    }

    static void org(JsonOut json, Org org) {
        json.begin()
                .field("id", org.id())
                .field("name", org.name())
                .field("description", org.description())
                .field("url", org.url())
                .field("created_at", org.createdAt())
                .end();
    }

    static void post(JsonOut json, Post post) {
        json.begin()
                .field("id", post.id())
                .field("title", post.title())
                .field("body", post.body())
                .field("published", post.isPublished())
                .field("author_id", post.authorId())
                .field("created_at", post.createdAt())
                .end();
    }

    static void user(JsonOut json, User user) {
        json.begin()
                .field("id", user.id())
                .field("email", user.email())
                .field("name", user.name())
                .field("role", user.role().getLiteral())
                .field("org_id", user.orgId())
                .field("created_at", user.createdAt())
                .end();
    }

    JsonOut begin() {
        comma();
        put('{');
        return this;
    }

    JsonOut end() {
        put('}');
        isAfterValue = true;
        return this;
    }

    JsonOut field(String name, String value) {
        key(name);
        string(value);
        isAfterValue = true;
        return this;
    }

    JsonOut field(String name, long value) {
        key(name);
        number(value);
        isAfterValue = true;
        return this;
    }

    /** A number or null. */
    JsonOut field(String name, Long value) {
        return value == null ? literal(name, "null") : field(name, value.longValue());
    }

    JsonOut field(String name, boolean value) {
        return literal(name, value ? "true" : "false");
    }

    JsonOut field(String name, Instant value) {
        return value == null ? literal(name, "null") : field(name, value.toString());
    }

    <T> JsonOut field(String name, List<T> items, Shape<T> item) {
        key(name);
        return array(items, item);
    }

    private <T> JsonOut array(List<T> items, Shape<T> item) {
        comma();
        put('[');
        for (int i = 0; i < items.size(); i++) {
            comma();
            item.write(this, items.get(i));
        }
        put(']');
        isAfterValue = true;
        return this;
    }

    private JsonOut literal(String name, String literal) {
        key(name);
        ascii(literal);
        isAfterValue = true;
        return this;
    }

    private void key(String name) {
        comma();
        put('"');
        ascii(name);
        ascii("\":");
    }

    private void comma() {
        if (isAfterValue) {
            put(',');
            isAfterValue = false;
        }
    }

    private void send(ServerResponse res, Status status, Header contentType) {
        res.status(status);
        res.header(contentType);
        res.send(bytes, 0, length);
    }

    private void number(long value) {
        if (value < 0) {
            ascii(Long.toString(value)); // no id, count or status is negative: not worth a digit loop of its own
            return;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int at = length + digits - 1; at >= length; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    /** A JSON string per RFC 8259: quotes, backslashes and control characters escaped. */
    private void string(String value) {
        if (value == null) {
            ascii("null");
            return;
        }
        int count = value.length();
        // One byte per character and the quotes; a character that needs more reserves its own room.
        ensure(count + 2);
        bytes[length++] = '"';
        for (int i = 0; i < count; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                bytes[length++] = (byte) c;
                continue;
            }
            // At most six bytes (\u001f) for this character, then one for each one left and the quote.
            ensure(6 + count - i);
            switch (c) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                default -> {
                    if (c < 0x20) {
                        ascii("\\u00");
                        bytes[length++] = (byte) Character.forDigit(c >> 4, 16);
                        bytes[length++] = (byte) Character.forDigit(c & 0xF, 16);
                    } else if (c < 0x800) {
                        bytes[length++] = (byte) (0xC0 | c >> 6);
                        bytes[length++] = (byte) (0x80 | c & 0x3F);
                    } else if (Character.isHighSurrogate(c) && i + 1 < count && Character.isLowSurrogate(value.charAt(i + 1))) {
                        int codePoint = Character.toCodePoint(c, value.charAt(++i));
                        bytes[length++] = (byte) (0xF0 | codePoint >> 18);
                        bytes[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                        bytes[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                        bytes[length++] = (byte) (0x80 | codePoint & 0x3F);
                    } else if (Character.isSurrogate(c)) {
                        bytes[length++] = '?';
                    } else {
                        bytes[length++] = (byte) (0xE0 | c >> 12);
                        bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                        bytes[length++] = (byte) (0x80 | c & 0x3F);
                    }
                }
            }
        }
        bytes[length++] = '"';
    }

    /** Text known to be ASCII: names, literals, numbers, instants. */
    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
    }

    private void put(char asciiCharacter) {
        ensure(1);
        bytes[length++] = (byte) asciiCharacter;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + more));
        }
    }
}
