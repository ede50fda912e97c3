package dev.sqlkit.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.IdempotencyKey;
import dev.sqlkit.dal.Reply;
import dev.sqlkit.dal.Repositories;

/**
 * How every write route runs its write and answers: applied directly, or, when the request carries
 * an {@code Idempotency-Key} header (IETF httpapi draft), at most once per key. The key and the
 * reply are stored in the write's own transaction ({@link Dal#idempotent}), so a client that lost
 * the answer (a timeout, a cut connection, an instance or a database node that died) sends the
 * request again with the same key and gets the first answer, marked {@code Idempotent-Replayed: true},
 * instead of a second row. The same key with another method, target or body is refused (422).
 */
final class Writes {

    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    static final Header REPLAYED = HeaderValues.create("Idempotent-Replayed", "true");
    private static final byte[] NO_BODY = new byte[0];

    private final Dal dal;

    Writes(Dal dal) {
        this.dal = dal;
    }

    /**
     * Runs {@code write} for {@code req} and sends its reply.
     *
     * @param body  the request's body, read before anything is written (null when the route takes none)
     * @param write the write, on the dal's repositories or, with a key, on the transaction's
     */
    void apply(ServerRequest req, ServerResponse res, JsonIn body, Function<Repositories, Reply> write) {
        String key = key(req);
        Reply reply = key == null
                ? write.apply(dal)
                : dal.idempotent(IdempotencyKey.of(key,
                        req.prologue().method().text().getBytes(StandardCharsets.US_ASCII),
                        req.prologue().uriPath().rawPath().getBytes(StandardCharsets.UTF_8),
                        req.prologue().query().rawValue().getBytes(StandardCharsets.UTF_8),
                        body == null ? NO_BODY : body.bytes()), write::apply);
        send(res, reply);
    }

    /** The answer of a write that has no body to send. */
    static Reply noContent() {
        return Reply.of(Status.NO_CONTENT_204.code(), null, NO_BODY);
    }

    private static void send(ServerResponse res, Reply reply) {
        res.status(Status.create(reply.status()));
        if (reply.location() != null) {
            res.header(HeaderNames.LOCATION, reply.location());
        }
        if (reply.isReplay()) {
            res.header(REPLAYED);
        }
        if (reply.body().length == 0) {
            res.send();
        } else {
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.send(reply.body());
        }
    }

    /**
     * The key of the request, or null without one. The draft makes the value a structured-field
     * string ({@code "a-key"}, RFC 8941); a bare token ({@code a-key}) is taken as well, as many
     * clients send it that way.
     */
    static String key(ServerRequest req) {
        if (!req.headers().contains(IDEMPOTENCY_KEY)) {
            return null;
        }
        List<String> values = req.headers().get(IDEMPOTENCY_KEY).allValues();
        if (values.size() != 1) {
            throw HttpProblem.badRequest(null, "send one Idempotency-Key header, not " + values.size());
        }
        String value = values.get(0).strip();
        String key = value.startsWith("\"") ? unquote(value) : value;
        String problem = IdempotencyKey.problem(key);
        if (problem != null) {
            throw HttpProblem.badRequest(null, "the Idempotency-Key header " + problem
                    + "; send a unique string of 1 to " + IdempotencyKey.MAX_LENGTH + " characters, e.g. a UUID: Idempotency-Key: \"<uuid>\"");
        }
        return key;
    }

    /** An RFC 8941 string: printable ASCII between quotes, with {@code \"} and {@code \\} the only escapes. */
    private static String unquote(String value) {
        StringBuilder key = new StringBuilder(value.length());
        for (int at = 1; at < value.length(); at++) {
            char c = value.charAt(at);
            if (c == '"') {
                if (at != value.length() - 1) {
                    throw malformed("has characters after its closing quote");
                }
                return key.toString();
            }
            if (c == '\\') {
                at++;
                if (at == value.length() || (value.charAt(at) != '"' && value.charAt(at) != '\\')) {
                    throw malformed("has a backslash that escapes neither '\"' nor '\\'");
                }
                c = value.charAt(at);
            } else if (c < 0x20 || c > 0x7e) {
                throw malformed("holds a character that a quoted header string cannot (printable ASCII only)");
            }
            key.append(c);
        }
        throw malformed("has no closing quote");
    }

    private static HttpProblem malformed(String what) {
        return HttpProblem.badRequest(null, "the Idempotency-Key header " + what
                + "; send it as a quoted string, e.g. Idempotency-Key: \"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
    }
}
