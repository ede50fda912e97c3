package dev.sqlkit.dal;

/**
 * {@link Migrations#migrate(javax.sql.DataSource, java.time.Duration)} gave up waiting for another
 * instance's migration. Its own type so that an application can name its own setting for the wait.
 */
public final class MigrationWaitException extends DalException {

    public MigrationWaitException(String message) {
        super(message);
    }
}
