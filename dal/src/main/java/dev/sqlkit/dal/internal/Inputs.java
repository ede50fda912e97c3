package dev.sqlkit.dal.internal;

import java.nio.charset.StandardCharsets;

import org.jooq.DataType;
import org.jooq.Field;

import dev.sqlkit.dal.InvalidInputException;
import dev.sqlkit.dal.PageRequest;

/**
 * Checks of input values against the limits of the columns they go to, taken from the generated
 * classes so they cannot fall out of step with the migrations. They run before any SQL so that the
 * error names the field precisely, and so that a server in a lenient sql_mode can never truncate a
 * value silently.
 */
public final class Inputs {

    private Inputs() {
    }

    /** A value that must be present and not blank. */
    public static String required(String field, String value, Field<String> column) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        if (value.isBlank()) {
            throw new InvalidInputException(field, "must not be blank");
        }
        return fits(field, value, column);
    }

    /** A value that must be present but may be empty (e.g. a post body). */
    public static String present(String field, String value, Field<String> column) {
        if (value == null) {
            throw new InvalidInputException(field, "is required");
        }
        return fits(field, value, column);
    }

    /** A value that may be absent. */
    public static String optional(String field, String value, Field<String> column) {
        return value == null ? null : fits(field, value, column);
    }

    /** An e-mail address: one {@code @} between a local part and a domain, no spaces. */
    public static String email(String field, String value, Field<String> column) {
        String email = required(field, value, column);
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1
                || email.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(field, "is not an e-mail address");
        }
        return email;
    }

    public static PageRequest page(PageRequest page) {
        if (page == null) {
            throw new InvalidInputException("page", "is required");
        }
        return page;
    }

    // VARCHAR(n) counts characters (code points); TEXT counts bytes of UTF-8 (utf8mb4). Java's
    // String.length() counts neither, so it is never used for the limit.
    private static String fits(String field, String value, Field<String> column) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // The driver would store '?' in its place: the value would be lost, not kept.
                throw new InvalidInputException(field, "contains an unpaired UTF-16 surrogate (not valid Unicode)");
            }
        }
        DataType<String> type = column.getDataType();
        int limit = type.length();
        if (limit > 0) {
            if (type.isLob()) {
                int bytes = value.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > limit) {
                    throw new InvalidInputException(field, "is " + bytes + " bytes of UTF-8, the limit is " + limit);
                }
            } else {
                int characters = value.codePointCount(0, value.length());
                if (characters > limit) {
                    throw new InvalidInputException(field, "is " + characters + " characters long, the limit is " + limit);
                }
            }
        }
        return value;
    }
}
