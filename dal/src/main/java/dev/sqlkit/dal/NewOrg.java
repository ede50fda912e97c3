package dev.sqlkit.dal;

/**
 * The values of an organisation to create, or to replace an existing one's with. {@code name} is
 * unique and not blank; {@code description} may be empty; {@code url} is optional.
 */
public record NewOrg(String name, String description, String url) {
}
