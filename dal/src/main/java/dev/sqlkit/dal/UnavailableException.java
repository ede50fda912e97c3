package dev.sqlkit.dal;

/**
 * The database cannot be reached right now: no connection could be obtained in time, or the
 * connection broke. Retrying later may succeed; the cause says what happened.
 */
public final class UnavailableException extends DalException {

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
