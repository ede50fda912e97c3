package dev.sqlkit.server.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.sqlkit.server.ConfigurationException;

/**
 * TLS to the database, with the names the replaced services used in {@code DATABASE_URL}
 * ({@code ssl_mode=verify_identity}); each maps to the driver's {@code sslMode} of the same meaning
 * (Database: Connector/J's of the same name, MariaDB Connector/J's disable, trust, verify-ca, verify-full).
 */
public enum SslMode {
    DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY;

    /** Whether the server's certificate chain is checked against a CA. */
    public boolean isVerifying() {
        return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    static SslMode parse(String setting, String value) {
        String normalized = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SslMode mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new ConfigurationException(setting + " is '" + value + "'; use one of "
                + Arrays.stream(values()).map(mode -> mode.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
