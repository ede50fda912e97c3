package dev.sqlkit.dal;

/**
 * The root of every exception the dal throws. Expected failures have precise subclasses
 * ({@link NotFoundException}, {@link ConflictException}, {@link InvalidInputException},
 * {@link UnavailableException}); anything else arrives as a plain {@code DalException} that keeps
 * the database's exception as its cause.
 */
public class DalException extends RuntimeException {

    public DalException(String message, Throwable cause) {
        super(message, cause);
    }

    public DalException(String message) {
        super(message);
    }
}
