package dev.sqlkit.dal;

import dev.sqlkit.db.enums.Role;

/** A user's new name (null clears it) and role (null keeps the current role). */
public record UserUpdate(String name, Role role) {
}
