package dev.sqlkit.server.http;

import io.helidon.http.Status;

/** A request the HTTP layer rejects itself: malformed JSON, a wrong type, a bad parameter. */
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

    Status status() {
        return status;
    }

    String field() {
        return field;
    }
}
