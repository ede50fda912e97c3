package dev.sqlkit.dal;

/**
 * A value the schema cannot store: missing where required, too long for its column, not one of an
 * enum's values, malformed, or referring to a row that does not exist.
 */
public final class InvalidInputException extends DalException {

    private final String field;
    private final String reason;

    public InvalidInputException(String field, String reason) {
        this(field, reason, null);
    }

    public InvalidInputException(String field, String reason, Throwable cause) {
        super(field + ": " + reason, cause);
        this.field = field;
        this.reason = reason;
    }

    /** The record component at fault, e.g. {@code title} or {@code orgId}. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
