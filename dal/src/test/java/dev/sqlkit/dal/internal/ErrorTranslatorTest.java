package dev.sqlkit.dal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

import dev.sqlkit.dal.DalException;
import dev.sqlkit.dal.TransactionConflictException;
import dev.sqlkit.dal.TransactionConflictException.Reason;
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

    /**
     * A Galera certification failure at COMMIT (as the cluster reports it) and a lock wait timeout
     * cannot be made on a single test server on demand; each must read as a conflict, not a 500.
     */
    @Test
    void deadlocksCertificationFailuresAndLockWaitTimeoutsAreConflicts() {
        TransactionConflictException atCommit = assertInstanceOf(TransactionConflictException.class, ErrorTranslator.translate(
                new DataAccessException("Cannot commit transaction", new SQLException("Deadlock: wsrep aborted transaction", "40001", 1213))));
        assertEquals(Reason.DEADLOCK, atCommit.reason());
        assertEquals(1, atCommit.attempts());
        TransactionConflictException byState = assertInstanceOf(TransactionConflictException.class,
                ErrorTranslator.translate(new SQLException("serialization failure", "40001", 0)));
        assertEquals(Reason.DEADLOCK, byState.reason());
        TransactionConflictException timeout = assertInstanceOf(TransactionConflictException.class,
                ErrorTranslator.translate(new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205)));
        assertEquals(Reason.LOCK_WAIT_TIMEOUT, timeout.reason());
    }
}
