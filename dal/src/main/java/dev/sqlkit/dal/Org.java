package dev.sqlkit.dal;

import java.time.Instant;

/** A stored organisation. {@code url} may be null; {@code createdAt} was set by the database. */
public record Org(long id, String name, String description, String url, Instant createdAt) {
}
