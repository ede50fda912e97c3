package dev.sqlkit.server.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    /** Room for one row (a post with a body of a few hundred characters, about 420 bytes as seeded) without growing. */
    private static final int ROW_BYTES = 512;
    /** Eight bytes of a byte array as one long, for {@link #needsEscape}; any alignment. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EACH_BYTE = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

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
        if (value == null) {
            return literal(name, "null");
        }
        key(name);
        instant(value);
        isAfterValue = true;
        return this;
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

    /**
     * A JSON string per RFC 8259: quotes, backslashes and control characters escaped. The text is
     * encoded by {@code String.getBytes(UTF_8)} (the JDK's vectorised encoder; an unpaired surrogate
     * becomes '?') and copied in runs between escapes: in UTF-8 no byte of a multi-byte character is
     * below 0x80, so only single-byte characters can need an escape. Encoding character by character
     * here was a tenth of the CPU of a page of posts; looking for escapes byte by byte was still a
     * fifth of it, so the search reads eight bytes at a time ({@link #needsEscape}).
     */
    private void string(String value) {
        if (value == null) {
            ascii("null");
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        put('"');
        int run = 0;
        int i = 0;
        while (i < utf8.length) {
            if (i + Long.BYTES <= utf8.length && !needsEscape((long) LONGS.get(utf8, i))) {
                i += Long.BYTES;
                continue;
            }
            byte b = utf8[i];
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                append(utf8, run, i);
                escape(b);
                run = i + 1;
            }
            i++;
        }
        append(utf8, run, utf8.length);
        put('"');
    }

    /**
     * Whether any of the eight bytes in {@code word} is '"', '\\' or below 0x20: the classic
     * "has a zero byte" test, {@code (v - 0x01..) & ~v & 0x80..}, on the word xor each byte sought,
     * and its "has a byte below n" form for the control characters. A borrow can carry only out of a
     * byte that matched, so the answer for the word as a whole is exact; which byte matched is then
     * found one byte at a time. Bytes of 0x80 and above (UTF-8 sequences) never match, as their high
     * bit is cleared by {@code ~v}.
     */
    private static boolean needsEscape(long word) {
        long quote = word ^ (EACH_BYTE * '"');
        long backslash = word ^ (EACH_BYTE * '\\');
        long found = ((quote - EACH_BYTE) & ~quote) | ((backslash - EACH_BYTE) & ~backslash)
                | ((word - EACH_BYTE * 0x20) & ~word);
        return (found & HIGH_BITS) != 0;
    }

    private void escape(byte control) {
        switch (control) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            default -> {
                ascii("\\u00");
                put(Character.forDigit(control >> 4, 16));
                put(Character.forDigit(control & 0xF, 16));
            }
        }
    }

    /** {@code from[start..end)}, as it is. */
    private void append(byte[] from, int start, int end) {
        ensure(end - start);
        System.arraycopy(from, start, bytes, length, end - start);
        length += end - start;
    }

    /**
     * An instant as {@link Instant#toString} writes it (ISO-8601 in UTC, the fraction in as many
     * groups of three digits as it needs), without its formatter, which cost as much as the rest of
     * a post's fields together. Years beyond 0000-9999, which toString writes with a sign, go through it.
     */
    private void instant(Instant value) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(value.getEpochSecond(), value.getNano(), ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            string(value.toString());
            return;
        }
        ensure(32);
        put('"');
        digits(utc.getYear(), 4);
        put('-');
        digits(utc.getMonthValue(), 2);
        put('-');
        digits(utc.getDayOfMonth(), 2);
        put('T');
        digits(utc.getHour(), 2);
        put(':');
        digits(utc.getMinute(), 2);
        put(':');
        digits(utc.getSecond(), 2);
        int nano = utc.getNano();
        if (nano != 0) {
            put('.');
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                digits(nano / 1_000, 6);
            } else {
                digits(nano, 9);
            }
        }
        put('Z');
        put('"');
    }

    /** {@code value} (not negative) in exactly {@code count} digits, with leading zeros. */
    private void digits(int value, int count) {
        ensure(count);
        for (int at = length + count - 1; at >= length; at--) {
            bytes[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += count;
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
