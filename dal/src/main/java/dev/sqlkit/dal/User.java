package dev.sqlkit.dal;

import java.time.Instant;

import dev.sqlkit.db.enums.Role;

/** A stored user. {@code name} and {@code orgId} may be null; {@code createdAt} was set by the database. */
public record User(long id, String email, String name, Role role, Long orgId, Instant createdAt) {
}
