package dev.sqlkit.dal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a database stands with the schema jar's migrations: {@link Migrations#status}.
 *
 * @param schemaVersion the version of the newest migration applied in full, "0" for none
 * @param migrations    every migration known to the jar or to the database's history, oldest first
 * @param broken        what was left half-done, if the history says so; then migrate and revert are refused
 */
public record MigrationStatus(String schemaVersion, List<Migration> migrations, Optional<String> broken) {

    public MigrationStatus {
        migrations = List.copyOf(migrations);
    }

    /** What a migration's state is in the database. */
    public enum State {
        APPLIED, PENDING,
        /** Applied or undone only in part: the schema may be between this version and the one before. */
        BROKEN,
        /** In the history, but not in the jar: applied by a newer release. */
        UNKNOWN
    }

    /**
     * One migration.
     *
     * @param version   e.g. "3"
     * @param script    e.g. {@code V3__index_posts_by_published.sql}
     * @param hasUndo   whether the jar has its undo script ({@code U3__...sql}), so that it can be reverted
     * @param appliedAt when it was applied, if it was
     */
    public record Migration(String version, String description, String script, State state, boolean hasUndo,
                            Optional<Instant> appliedAt) {
    }

    /** The migrations not applied yet. */
    public List<Migration> pending() {
        return migrations.stream().filter(migration -> migration.state() == State.PENDING).toList();
    }
}
