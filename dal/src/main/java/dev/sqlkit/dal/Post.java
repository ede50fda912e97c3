package dev.sqlkit.dal;

import java.time.Instant;

/** A stored blog post. {@code authorId} is null for posts without an author. */
public record Post(long id, String title, String body, boolean isPublished, Long authorId, Instant createdAt) {
}
