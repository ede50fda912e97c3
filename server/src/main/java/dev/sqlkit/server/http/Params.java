package dev.sqlkit.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.helidon.webserver.http.ServerRequest;

import dev.sqlkit.dal.PageRequest;

/** Path and query parameters, parsed strictly; a bad one is a 400 naming it. */
final class Params {

    private Params() {
    }

    static long id(ServerRequest request) {
        return positiveId(request.path().pathParameters().get("id"));
    }

    static long positiveId(String text) {
        return bounded("id", text, 1, Long.MAX_VALUE, "path parameter");
    }

    /**
     * A path parameter as text. Helidon decodes percent-escapes that are not UTF-8 to U+FFFD, which
     * would look up a name the client never sent: that is a 400 instead.
     */
    static String path(ServerRequest request, String name) {
        String value = request.path().pathParameters().get(name);
        if (value.indexOf('\uFFFD') >= 0 && !decodesToUtf8(request.prologue().uriPath().rawPath())) {
            throw HttpProblem.badRequest(name, "path parameter '" + name + "' is not valid UTF-8 once percent-decoded");
        }
        return value;
    }

    private static boolean decodesToUtf8(String rawPath) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%' && i + 2 < rawPath.length() && HexFormat.isHexDigit(rawPath.charAt(i + 1))
                    && HexFormat.isHexDigit(rawPath.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(rawPath, i + 1, i + 3));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** {@code ?after=<id>&limit=<n>}: keyset pagination, {@value PageRequest#DEFAULT_LIMIT} items by default. */
    static PageRequest page(ServerRequest request) {
        Optional<String> after = query(request, "after");
        Optional<String> limit = query(request, "limit");
        int size = limit.map(text -> (int) bounded("limit", text, 1, PageRequest.MAX_LIMIT)).orElse(PageRequest.DEFAULT_LIMIT);
        return new PageRequest(after.map(text -> bounded("after", text, 0, Long.MAX_VALUE)).orElse(null), size);
    }

    /** {@code ?published=true|false}, or null when absent. */
    static Boolean published(ServerRequest request) {
        Optional<String> value = query(request, "published");
        if (value.isEmpty()) {
            return null;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw HttpProblem.badRequest("published", "query parameter 'published' must be true or false, not '"
                    + value.get() + "'");
        };
    }

    /**
     * A query parameter's first value, as text. Not {@code query().first(name)}: that wraps it in a
     * value that can be mapped to other types, and fetches Helidon's mapper manager for each one
     * (see SqlkitServer: until that was set once, a fifth of a page request's CPU).
     */
    private static Optional<String> query(ServerRequest request, String name) {
        List<String> values = request.query().all(name, List::of);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static long bounded(String name, String text, long min, long max) {
        return bounded(name, text, min, max, "query parameter");
    }

    private static long bounded(String name, String text, long min, long max, String kind) {
        // Long.parseLong also reads the digits of other scripts (fullwidth, Arabic-Indic, ...) as
        // numbers; a parameter written with them is not an integer in a URI, so only ASCII is parsed.
        if (isAscii(text)) {
            try {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException notANumber) {
                // falls through
            }
        }
        throw HttpProblem.badRequest(name, kind + " '" + name + "' must be an integer from " + min + " to " + max
                + ", not '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
    }

    /** A loop rather than a stream: this runs on every request with an id, GET /posts/{id} included. */
    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
