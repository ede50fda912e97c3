package dev.sqlkit.dal.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

import org.junit.jupiter.api.Test;

import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.UnavailableException;

/**
 * Connection failures that do not come from a live server (and so cannot be produced on demand
 * by the database tests): each must read as "unavailable", not as an unexpected error.
 */
class ErrorTranslatorTest {

    @Test
    void brokenOrClosedConnectionsAreUnavailable() {
        assertInstanceOf(UnavailableException.class, ErrorTranslator.translate(new SQLException("Communications link failure", "08S01")));
        assertInstanceOf(UnavailableException.class, ErrorTranslator.translate(new SQLNonTransientConnectionException("gone")));
        // HikariCP's stand-in for an evicted connection carries no SQLState at all.
        assertInstanceOf(UnavailableException.class, ErrorTranslator.translate(new SQLException("Connection is closed")));
    }

    @Test
    void otherFailuresStayGenericAndKeepTheirCause() {
        SQLException syntax = new SQLException("You have an error in your SQL syntax", "42000", 1064);
        RuntimeException translated = ErrorTranslator.translate(syntax);
        assertTrue(translated.getClass() == DalException.class);
        assertTrue(translated.getCause() == syntax);
        assertFalse(ErrorTranslator.isConnectionFailure(syntax));
    }
}
