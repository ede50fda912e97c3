package dev.sqlkit.dal;

import dev.sqlkit.db.enums.Role;

/**
 * A user to create. {@code email} is unique (case-insensitively); {@code name}, {@code role} and
 * {@code orgId} may be null, and a null role means the database default, {@link Role#USER}.
 */
public record NewUser(String email, String name, Role role, Long orgId) {

    public NewUser(String email) {
        this(email, null, null, null);
    }
}
