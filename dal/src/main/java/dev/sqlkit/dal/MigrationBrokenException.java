package dev.sqlkit.dal;

/**
 * The database's migration history says a migration or an undo stopped half-way: MySQL and MariaDB
 * cannot roll DDL back, so the schema may be between two versions. Migrating, reverting and starting
 * the server are refused until someone has made the schema whole by hand and said so with
 * {@link Migrations#repair} ({@code db repair --confirm}). The message says what failed, what was
 * done before it, and that fix.
 */
public final class MigrationBrokenException extends DalException {

    public MigrationBrokenException(String message) {
        super(message);
    }

    public MigrationBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
