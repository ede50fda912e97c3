package dev.sqlkit.dal;

import java.util.List;

/**
 * What {@link Migrations#revert} did.
 *
 * @param reverted      the migrations undone by this call, newest first, e.g. {@code "4 idempotency keys"}
 * @param schemaVersion the version the database is at now
 */
public record RevertReport(List<String> reverted, String schemaVersion) {

    public RevertReport {
        reverted = List.copyOf(reverted);
    }
}
