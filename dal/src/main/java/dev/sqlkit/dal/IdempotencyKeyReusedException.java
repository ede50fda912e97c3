package dev.sqlkit.dal;

/**
 * An idempotency key came with a request other than the one it was first used for (another target
 * or body). Answering it with the first request's reply would be wrong, and applying it would break
 * the promise that a key's write happens at most once, so it is refused; the client should use a
 * new key for a new request.
 */
public final class IdempotencyKeyReusedException extends DalException {

    public IdempotencyKeyReusedException(IdempotencyKey key) {
        super("the idempotency key '" + key.key() + "' was already used for a different request (another"
                + " method, target or body); send a new key with a new request", null);
    }
}
