package dev.sqlkit.mysql;

/**
 * A MySQL-family server could not be named, reached or started. The message says which setting is
 * involved and how to fix it, and never contains a password; callers add where the setting lives in
 * their own configuration (a Maven property, a server setting) and rethrow.
 */
public final class MysqlSetupException extends RuntimeException {

    public MysqlSetupException(String message) {
        super(message);
    }

    public MysqlSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
