package dev.sqlkit.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import dev.sqlkit.server.ConfigurationException;

/**
 * Who may write: with {@code auth.token} (environment {@code AUTH_TOKEN}) set, POST, PUT, PATCH and
 * DELETE need {@code Authorization: Bearer <token>} (401 without one, 403 with a wrong one); reads
 * stay public. Without a token, writes are open, which start-up says out loud.
 */
public final class WriteAuthorization implements Filter {

    private static final Set<Method> WRITES = Set.of(Method.POST, Method.PUT, Method.PATCH, Method.DELETE);
    private static final int MIN_TOKEN_LENGTH = 16;

    // Only a digest of the token is kept: comparing digests of equal length with
    // MessageDigest.isEqual takes the same time whatever the guess, so it leaks nothing.
    private final byte[] tokenDigest;

    private WriteAuthorization(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    public static WriteAuthorization from(Config auth) {
        String token = auth.get("token").asString().map(String::strip).filter(value -> !value.isEmpty()).orElse(null);
        if (token == null) {
            return new WriteAuthorization(null);
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigurationException("auth.token (AUTH_TOKEN) is " + token.length() + " characters; use at least "
                    + MIN_TOKEN_LENGTH + " random ones, e.g. the output of: openssl rand -hex 32");
        }
        return new WriteAuthorization(sha256(token));
    }

    public boolean isOpen() {
        return tokenDigest == null;
    }

    /** One line for the start-up banner. */
    public String describe() {
        return isOpen() ? "open to anyone (set auth.token / AUTH_TOKEN to require a bearer token)"
                : "need Authorization: Bearer <auth.token>; reads are public";
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (isOpen() || !WRITES.contains(req.prologue().method())) {
            chain.proceed();
            return;
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sqlkit\"");
            JsonOut.sendProblem(res, Status.UNAUTHORIZED_401, "writes need Authorization: Bearer <token>", null);
            return;
        }
        if (!MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()))) {
            JsonOut.sendProblem(res, Status.FORBIDDEN_403, "the bearer token is not the one this server accepts", null);
            return;
        }
        chain.proceed();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
