package dev.sqlkit.server.http;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import dev.sqlkit.db.enums.Role;

/**
 * A request body read as a JSON object, with every way it can be wrong reported as a 4xx that names
 * the field: wrong content type (415), bytes that are not UTF-8, malformed or too deeply nested
 * JSON, duplicate keys, unknown fields, missing fields and wrong types (400), values outside what
 * the API allows (422). The size limit is the server's max-payload-size (413).
 */
final class JsonIn {

    private static final int MAX_DEPTH = 16;
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(
            "org.eclipse.parsson.maxDepth", MAX_DEPTH));

    private final Map<String, JsonValue> object;
    private final byte[] bytes;

    private JsonIn(Map<String, JsonValue> object, byte[] bytes) {
        this.object = object;
        this.bytes = bytes;
    }

    /** The body as an object whose keys must all be among {@code allowed}. */
    static JsonIn object(ServerRequest request, String... allowed) {
        HttpMediaType type = request.headers().contentType().orElse(null);
        if (type == null || !type.test(MediaTypes.APPLICATION_JSON)) {
            throw new HttpProblem(Status.UNSUPPORTED_MEDIA_TYPE_415, "the body must be sent as Content-Type: application/json"
                    + (type == null ? "" : ", not " + type.text()), null);
        }
        if (type.charset().isPresent() && !type.charset().get().equalsIgnoreCase("utf-8")) {
            throw new HttpProblem(Status.UNSUPPORTED_MEDIA_TYPE_415, "JSON must be UTF-8, not " + type.charset().get(), null);
        }
        if (!request.content().hasEntity()) {
            throw HttpProblem.badRequest(null, "the body is empty; expected a JSON object");
        }
        byte[] bytes = request.content().as(byte[].class);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest(null, "the body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw HttpProblem.badRequest(null, "the body is empty; expected a JSON object");
        }
        Map<String, JsonValue> fields = new HashMap<>();
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_OBJECT) {
                throw HttpProblem.badRequest(null, "the body must be a JSON object, not " + describe(parser.getValue()));
            }
            // The top level is read event by event, so that a repeated key is an error naming the
            // key (a JSON object's keys must be unique for its meaning to be clear, RFC 8259 4).
            while (parser.next() == JsonParser.Event.KEY_NAME) {
                String key = parser.getString();
                parser.next();
                if (fields.put(key, parser.getValue()) != null) {
                    throw HttpProblem.badRequest(key, "malformed JSON: the key '" + key + "' appears more than once");
                }
            }
            if (parser.hasNext()) {
                throw HttpProblem.badRequest(null, "malformed JSON: unexpected content after the JSON object");
            }
        } catch (HttpProblem e) {
            throw e;
        } catch (JsonParsingException e) {
            var location = e.getLocation();
            throw HttpProblem.badRequest(null, "malformed JSON" + (location == null ? "" : " at line "
                    + location.getLineNumber() + ", column " + location.getColumnNumber()) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Parsson reports excessive nesting (a bare RuntimeException) and premature ends this way.
            throw HttpProblem.badRequest(null, "malformed JSON: " + e.getMessage());
        }
        Set<String> known = Set.of(allowed);
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw HttpProblem.badRequest(key, "unknown field '" + key + "'; the fields are " + new TreeSet<>(known));
            }
        }
        return new JsonIn(fields, bytes);
    }

    /** The body as it arrived, for the request's digest when it carries an idempotency key. */
    byte[] bytes() {
        return bytes;
    }

    /** A string that must be present and not null. */
    String requiredString(String field) {
        JsonValue value = object.get(field);
        if (value == null) {
            throw HttpProblem.badRequest(field, "field '" + field + "' is required");
        }
        return string(field, value);
    }

    /** A string that may be absent or null. */
    String optionalString(String field) {
        JsonValue value = object.get(field);
        return value == null || value == JsonValue.NULL ? null : string(field, value);
    }

    boolean optionalBoolean(String field, boolean fallback) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            return fallback;
        }
        if (value == JsonValue.TRUE) {
            return true;
        }
        if (value == JsonValue.FALSE) {
            return false;
        }
        throw HttpProblem.badRequest(field, "field '" + field + "' must be true or false, not " + describe(value));
    }

    /** A reference to another row: a positive integer, or absent/null. */
    Long optionalId(String field) {
        JsonValue value = object.get(field);
        return value == null || value == JsonValue.NULL ? null : id(field, value);
    }

    long requiredId(String field) {
        JsonValue value = object.get(field);
        if (value == null || value == JsonValue.NULL) {
            throw HttpProblem.badRequest(field, "field '" + field + "' is required");
        }
        return id(field, value);
    }

    /** A role, absent or null meaning "the default"; an unknown role is a 422 listing the valid ones. */
    Role optionalRole(String field) {
        String text = optionalString(field);
        if (text == null) {
            return null;
        }
        return Arrays.stream(Role.values())
                .filter(role -> role.getLiteral().equals(text))
                .findFirst()
                .orElseThrow(() -> HttpProblem.unprocessable(field, "field '" + field + "' must be one of "
                        + Arrays.toString(Role.values()) + ", not '" + text + "'"));
    }

    private static String string(String field, JsonValue value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw HttpProblem.badRequest(field, "field '" + field + "' must be a string, not " + describe(value));
    }

    private static long id(String field, JsonValue value) {
        if (!(value instanceof JsonNumber number)) {
            throw HttpProblem.badRequest(field, "field '" + field + "' must be an integer id, not " + describe(value));
        }
        BigDecimal decimal = number.bigDecimalValue();
        try {
            long id = decimal.longValueExact();
            if (id > 0) {
                return id;
            }
        } catch (ArithmeticException outOfRange) {
            // falls through to the message below
        }
        throw HttpProblem.badRequest(field, "field '" + field + "' must be an integer from 1 to " + Long.MAX_VALUE
                + ", not " + (decimal.precision() > 30 ? "a " + decimal.precision() + "-digit number" : decimal.toString()));
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
        };
    }
}
