package dev.sqlkit.dal;

import java.util.List;

/**
 * What {@link Migrations#migrate} did.
 *
 * @param applied       the migrations applied by this call, e.g. {@code "3 index posts by published"}
 * @param schemaVersion the version the database is at now
 */
public record MigrationReport(List<String> applied, String schemaVersion) {

    public MigrationReport {
        applied = List.copyOf(applied);
    }
}
