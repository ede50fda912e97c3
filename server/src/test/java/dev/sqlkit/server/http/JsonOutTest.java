package dev.sqlkit.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.helidon.http.Status;

import dev.sqlkit.dal.Post;

/** The hand-written JSON encoder against a JSON parser and the JDK's own formatting. */
class JsonOutTest {

    @Test
    void everyStringReadsBackAsWritten() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        for (String text : List.of("", "plain ASCII", "quote \" and backslash \\ and slash /", controls.toString(),
                "caf\u00e9 \u00fcber \u00df", "\u4e2d\u6587 \u0440\u0443\u0441\u0441\u043a\u0438\u0439", "emoji \ud83d\ude80 end",
                "\u007f DEL and \u2028 line separator", "\"\"\\\\\n\n", "mixed \u00e9\"\u4e2d\\\ud83d\ude80\t.")) {
            assertEquals(text, detail(JsonOut.problemBytes(Status.BAD_REQUEST_400, text, null)), "for " + text);
        }
    }

    /** Strings are searched eight bytes at a time: an escape at any place in, across or after a word. */
    @Test
    void anEscapeAnywhereInALongStringIsFound() {
        for (char special : new char[] {'"', '\\', '\n', '\u0000', '\u001f'}) {
            for (int length = 1; length <= 25; length++) {
                for (int at = 0; at < length; at++) {
                    StringBuilder text = new StringBuilder("x".repeat(length));
                    text.setCharAt(at, special);
                    if (at + 1 < length) {
                        text.setCharAt(at + 1, '\u00e9'); // two UTF-8 bytes of 0x80 and above right after it
                    }
                    String expected = text.toString();
                    assertEquals(expected, detail(JsonOut.problemBytes(Status.BAD_REQUEST_400, expected, null)),
                            "for " + (int) special + " at " + at + " of " + length);
                }
            }
        }
    }

    @Test
    void escapesAreTheShortOnesAndLowercaseHex() {
        byte[] json = JsonOut.problemBytes(Status.BAD_REQUEST_400, "a\"b\\c\nd\re\tf\u0001g\u001fh", null);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"detail\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\""), text);
    }

    @Test
    void anUnpairedSurrogateIsWrittenAsStringGetBytesWritesIt() {
        String text = "a\ud800b\udc00c";
        byte[] json = JsonOut.problemBytes(Status.BAD_REQUEST_400, text, null);
        String expected = "\"detail\":\"" + new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) + "\"";
        assertTrue(new String(json, StandardCharsets.UTF_8).contains(expected));
        assertEquals("a?b?c", detail(json));
    }

    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() {
        Random random = new Random(42);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-07T11:56:19Z"),
                Instant.parse("2026-12-07T11:56:19.120Z"), Instant.parse("2026-12-07T11:56:19.000123Z"),
                Instant.parse("2026-12-07T11:56:19.000000001Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("-0001-06-30T12:00:00.5Z")));
        for (int i = 0; i < 1000; i++) {
            long second = random.nextLong(Instant.parse("1000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(second, nano));
        }
        for (Instant instant : instants) {
            Post post = new Post(1, "t", "b", true, null, instant);
            byte[] json = JsonOut.reply(Status.OK_200, null, post, JsonOut::post).body();
            assertEquals(instant.toString(), parse(json).getString("created_at"), "for " + instant);
        }
    }

    @Test
    void aPostIsItsFieldsInOrder() {
        Post post = new Post(7, "T\u00e9", "B", false, 3L, Instant.parse("2026-01-02T03:04:05.678Z"));
        assertArrayEquals(("{\"id\":7,\"title\":\"T\u00e9\",\"body\":\"B\",\"published\":false,\"author_id\":3,"
                        + "\"created_at\":\"2026-01-02T03:04:05.678Z\"}").getBytes(StandardCharsets.UTF_8),
                JsonOut.reply(Status.OK_200, null, post, JsonOut::post).body());
    }

    private static String detail(byte[] json) {
        return parse(json).getString("detail");
    }

    private static JsonObject parse(byte[] json) {
        try (var reader = Json.createReader(new ByteArrayInputStream(json))) {
            return reader.readObject();
        }
    }
}
