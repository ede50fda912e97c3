package dev.sqlkit.server.http;

import static dev.sqlkit.server.http.JsonOut.sendProblem;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.ConflictException;
import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.IdempotencyKeyReusedException;
import dev.sqlkit.dal.InvalidInputException;
import dev.sqlkit.dal.NotFoundException;
import dev.sqlkit.dal.TransactionConflictException;
import dev.sqlkit.dal.UnavailableException;

/**
 * The one place where failures become HTTP responses, all {@code application/problem+json}
 * (RFC 9457: type, title, status, detail, and {@code field} when one field is at fault). Expected
 * failures carry their message; unexpected ones are logged with their stack trace and answered
 * with a bare 500 that reveals nothing.
 */
public final class Problems {

    private static final Logger LOGGER = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    /** Every failure a handler can raise; Helidon picks the handler of its class, else of its nearest superclass. */
    static void register(HttpRouting.Builder routing) {
        routing.error(HttpProblem.class, (req, res, e) -> sendProblem(res, e.status(), e.getMessage(), e.field()))
                .error(NotFoundException.class, (req, res, e) -> sendProblem(res, Status.NOT_FOUND_404, e.getMessage(), null))
                .error(ConflictException.class, (req, res, e) ->
                        sendProblem(res, Status.CONFLICT_409, e.getMessage(), jsonName(e.field())))
                .error(InvalidInputException.class, (req, res, e) -> sendProblem(res, Status.UNPROCESSABLE_CONTENT_422,
                        "field '" + jsonName(e.field()) + "' " + e.reason(), jsonName(e.field())))
                .error(IdempotencyKeyReusedException.class, (req, res, e) ->
                        sendProblem(res, Status.UNPROCESSABLE_CONTENT_422, e.getMessage(), null))
                .error(UnavailableException.class, (req, res, e) -> {
                    LOGGER.warning("database unavailable: " + e.getMessage());
                    res.header(HeaderNames.RETRY_AFTER, "1");
                    sendProblem(res, Status.SERVICE_UNAVAILABLE_503, "the database is unavailable; retry shortly", null);
                })
                .error(TransactionConflictException.class, (req, res, e) -> {
                    // Not an outage: the write collided with concurrent ones (the dal already retried
                    // it); the same request sent again shortly is expected to succeed.
                    LOGGER.info("transaction conflict: " + e.getMessage());
                    res.header(HeaderNames.RETRY_AFTER, "1");
                    sendProblem(res, Status.SERVICE_UNAVAILABLE_503,
                            "the request collided with concurrent changes to the same data and was not applied; retry shortly", null);
                })
                .error(io.helidon.http.NotFoundException.class, (req, res, e) -> sendProblem(res, Status.NOT_FOUND_404,
                        "no route for " + req.prologue().method().text() + " " + req.path().path(), null))
                .error(HttpException.class, (req, res, e) -> sendProblem(res, e.status(), e.getMessage(), null))
                .error(DalException.class, (req, res, e) -> internalError(res, e))
                .error(RuntimeException.class, (req, res, e) -> internalError(res, e));
    }

    /** Answers a known path requested with a method it does not support. */
    static Handler methodNotAllowed(String allowed) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed);
            sendProblem(res, Status.METHOD_NOT_ALLOWED_405, req.prologue().method().text() + " is not allowed here; use " + allowed, null);
        };
    }

    /**
     * Problems for requests rejected before routing (malformed HTTP, a body over max-payload-size),
     * so that those too are problem documents rather than Helidon's plain text.
     */
    public static DirectHandlers directHandlers() {
        DirectHandler handler = (request, eventType, status, headers, message) -> {
            headers.set(JsonOut.PROBLEM_JSON);
            String detail = status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()
                    ? "the body is larger than the server accepts (server.max-payload-size)"
                    : status.code() < 500 ? "the request is not valid HTTP: " + message : "the request could not be handled";
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(JsonOut.problemBytes(status, detail, null))
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static void internalError(ServerResponse res, Throwable error) {
        LOGGER.log(Level.SEVERE, "unexpected failure", error);
        sendProblem(res, Status.INTERNAL_SERVER_ERROR_500, "an unexpected error occurred; it has been logged", null);
    }

    /** The dal names fields as Java components (orgId); the API's JSON uses snake_case (org_id). */
    static String jsonName(String field) {
        return field == null ? null : field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
