package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.POSTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The database's own errors, reached by queries that bypass the repositories' checks, arrive as
 * the dal's exceptions; unexpected ones keep their cause.
 */
@ExtendWith(DatabaseExtension.class)
class ErrorTranslationTest {

    @Test
    void duplicateKeyOnAnOwnQueryIsAConflictNamingFieldAndValue(Dal dal) {
        String name = "dup-" + UUID.randomUUID();
        dal.orgs().create(new NewOrg(name, "", null));
        ConflictException conflict = assertThrows(ConflictException.class, () -> dal.dsl()
                .insertInto(ORGS).set(ORGS.NAME, name).set(ORGS.DESCRIPTION, "").execute());
        assertEquals("org", conflict.entity());
        assertEquals("name", conflict.field());
        assertEquals(name, conflict.value());
        assertInstanceOf(SQLException.class, conflict.getCause());
    }

    @Test
    void anOwnQueryInATransactionIsTranslatedToo(Dal dal) {
        String name = "dup-" + UUID.randomUUID();
        dal.orgs().create(new NewOrg(name, "", null));
        ConflictException conflict = assertThrows(ConflictException.class, () -> dal.transaction(trx -> trx.dsl()
                .insertInto(ORGS).set(ORGS.NAME, name).set(ORGS.DESCRIPTION, "").execute()));
        assertEquals("name", conflict.field());
    }

    @Test
    void aValueTooLongForItsColumnIsInvalidInputFromTheDatabaseToo(Dal dal) {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> dal.dsl()
                .insertInto(POSTS).set(POSTS.TITLE, "t".repeat(300)).set(POSTS.BODY, "").execute());
        assertEquals("title", error.field());
    }

    @Test
    void aMissingRequiredValueIsInvalidInput(Dal dal) {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> dal.dsl().execute("INSERT INTO posts (title, body) VALUES (NULL, '')"));
        assertEquals("title", error.field());
    }

    @Test
    void anUnknownRoleIsInvalidInputNamingTheField(Dal dal) {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> dal.dsl().execute("INSERT INTO users (email, role) VALUES ('r-" + UUID.randomUUID() + "@x.test', 'OWNER')"));
        assertEquals("role", error.field());
    }

    @Test
    void anUnexpectedFailureIsADalExceptionThatKeepsItsCause(Dal dal) {
        DalException error = assertThrows(DalException.class, () -> dal.dsl().fetch("SELECT * FROM no_such_table"));
        assertSame(DalException.class, error.getClass());
        assertInstanceOf(SQLException.class, error.getCause());
        assertTrue(error.getMessage().contains("no_such_table"), error.getMessage());
    }

    @Test
    void anExhaustedPoolIsUnavailable(TestDatabase database) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setConnectionInitSql("SET time_zone = '+00:00'");
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(250);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Dal tiny = Dal.create(pool);
            try (var held = pool.getConnection()) {
                UnavailableException error = assertThrows(UnavailableException.class, () -> tiny.posts().findById(1));
                assertInstanceOf(SQLException.class, error.getCause());
            }
            tiny.posts().findById(1);
        }
    }

    @Test
    void anUnreachableServerIsUnavailableAtCreate() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:mysql://127.0.0.1:" + closedPort + "/x");
        config.setUsername("root");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(500);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThrows(UnavailableException.class, () -> Dal.create(pool));
        }
    }
}
