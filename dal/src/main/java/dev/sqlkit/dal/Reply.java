package dev.sqlkit.dal;

/**
 * What a write answered, as {@link Dal#idempotent} keeps it with the write's key so that a repeat
 * of the request gets the same answer: a status, where the written thing lives, and the body's bytes.
 *
 * @param status   e.g. an HTTP status
 * @param location the address of what the write created, or null
 * @param body     the answer's bytes as sent (kept as given; do not change the array afterwards)
 * @param isReplay true when this is the stored answer of an earlier, identical request, which was
 *                 not applied again
 */
public record Reply(int status, String location, byte[] body, boolean isReplay) {

    public Reply {
        if (body == null) {
            throw new IllegalArgumentException("body is required (an empty array when there is none)");
        }
    }

    /** The answer of a write that has just been applied. */
    public static Reply of(int status, String location, byte[] body) {
        return new Reply(status, location, body, false);
    }
}
