package dev.sqlkit.dal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The key a client sends with a write so that the write is applied at most once, however often the
 * client repeats it (the IETF httpapi draft's {@code Idempotency-Key}), together with a digest of
 * the request it came with. See {@link Dal#idempotent}.
 *
 * @param key           the client's key: 1 to {@value #MAX_LENGTH} characters, no control characters
 * @param requestDigest SHA-256 of the request; the same key with another digest is refused
 */
public record IdempotencyKey(String key, byte[] requestDigest) {

    public static final int MAX_LENGTH = 255;
    private static final int DIGEST_BYTES = 32;

    /** @throws IllegalArgumentException if the key is empty, too long or holds control characters, or the digest is no SHA-256 */
    public IdempotencyKey {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("the idempotency key " + problem);
        }
        if (requestDigest == null || requestDigest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("requestDigest must be a SHA-256 digest (32 bytes)");
        }
        requestDigest = requestDigest.clone();
    }

    /**
     * The key of a request, its digest taken over {@code parts} in order (e.g. the method, the
     * target and the body), each part's length included so that no two lists of parts collide.
     */
    public static IdempotencyKey of(String key, byte[]... parts) {
        MessageDigest sha256 = sha256();
        for (byte[] part : parts) {
            sha256.update(HexFormat.of().toHexDigits(part.length).getBytes(StandardCharsets.US_ASCII));
            sha256.update(part);
        }
        return new IdempotencyKey(key, sha256.digest());
    }

    /**
     * Why {@code key} cannot be a key ("is empty", "is longer than 255 characters", ...), or null
     * when it can: for callers that report a bad key in their own terms, e.g. as a 400 naming the header.
     */
    public static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return "is empty";
        }
        if (key.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            return "contains control characters";
        }
        return null;
    }

    @Override
    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    /** What is stored instead of the key itself: keys are any text, the digest has one small size. */
    byte[] keyDigest() {
        return sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    }

    boolean isFor(byte[] otherRequestDigest) {
        return MessageDigest.isEqual(requestDigest, otherRequestDigest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotencyKey that && key.equals(that.key) && Arrays.equals(requestDigest, that.requestDigest);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(requestDigest);
    }

    @Override
    public String toString() {
        return "IdempotencyKey[" + key + "]";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
