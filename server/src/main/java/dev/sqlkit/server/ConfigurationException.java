package dev.sqlkit.server;

/** A setting is missing or wrong; the message names the setting and the fix. Stops start-up. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
