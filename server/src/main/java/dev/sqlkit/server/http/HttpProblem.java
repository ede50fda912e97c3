package dev.sqlkit.server.http;

import java.util.Optional;

import io.helidon.http.Status;

/**
 * A request the HTTP layer answers with a 4xx itself: malformed JSON, a wrong type, a bad
 * parameter, a row that is not there. {@link Problems} turns it into a problem document.
 */
final class HttpProblem extends RuntimeException {

    private final Status status;
    private final String field;

    HttpProblem(Status status, String detail, String field) {
        super(detail, null, false, false); // expected: no stack trace to fill
        this.status = status;
        this.field = field;
    }

    static HttpProblem badRequest(String field, String detail) {
        return new HttpProblem(Status.BAD_REQUEST_400, detail, field);
    }

    static HttpProblem unprocessable(String field, String detail) {
        return new HttpProblem(Status.UNPROCESSABLE_CONTENT_422, detail, field);
    }

    /** The row looked up by id, or a 404 {@code <entity> <id> not found}, the wording of the dal's own 404s. */
    static <T> T orNotFound(Optional<T> row, String entity, long id) {
        if (row.isPresent()) {
            return row.get();
        }
        throw new HttpProblem(Status.NOT_FOUND_404, entity + " " + id + " not found", null);
    }

    /** The row looked up by name, or a 404 {@code <entity> '<name>' not found}: quoted, so that spaces at its ends show. */
    static <T> T orNotFound(Optional<T> row, String entity, String name) {
        if (row.isPresent()) {
            return row.get();
        }
        throw new HttpProblem(Status.NOT_FOUND_404, entity + " '" + name + "' not found", null);
    }

    Status status() {
        return status;
    }

    String field() {
        return field;
    }
}
