package dev.sqlkit.dal;

/**
 * New values for an existing organisation, replacing all of its own: {@code name} is unique and
 * not blank, {@code description} may be empty, and a null {@code url} clears it.
 */
public record OrgUpdate(String name, String description, String url) {
}
