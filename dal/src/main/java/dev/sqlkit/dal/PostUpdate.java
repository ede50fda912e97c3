package dev.sqlkit.dal;

/** New title and body for an existing post. */
public record PostUpdate(String title, String body) {
}
