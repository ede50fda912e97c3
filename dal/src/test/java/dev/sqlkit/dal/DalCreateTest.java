package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

/** Dal.create refuses settings under which stored data would be wrong, and says how to fix them. */
@ExtendWith(DatabaseExtension.class)
class DalCreateTest {

    @Test
    void theDialectIsDetectedFromTheServerOrGiven(TestDatabase database) throws Exception {
        String version;
        try (var connection = database.dataSource().getConnection()) {
            version = connection.getMetaData().getDatabaseProductVersion();
        }
        SQLDialect expected = version.contains("MariaDB") ? SQLDialect.MARIADB : SQLDialect.MYSQL;
        assertEquals(expected, Dal.create(database.dataSource()).dialect());
        assertEquals(SQLDialect.MYSQL, Dal.create(database.dataSource(), SQLDialect.MYSQL).dialect());
    }

    @Test
    void sessionsOutsideUtcAreRefusedWithTheFix(TestDatabase database) {
        try (HikariDataSource offset = database.pool("SET time_zone = '+05:00'")) {
            DalException error = assertThrows(DalException.class, () -> Dal.create(offset));
            assertTrue(error.getMessage().contains("connectionTimeZone=UTC"), error.getMessage());
            assertTrue(error.getMessage().contains("UTC+5.0h"), error.getMessage());
        }
    }

    @Test
    void aLenientSqlModeIsRefusedWithTheFix(TestDatabase database) {
        try (HikariDataSource lenient = database.pool("SET time_zone = '+00:00', sql_mode = ''")) {
            DalException error = assertThrows(DalException.class, () -> Dal.create(lenient));
            assertTrue(error.getMessage().contains("STRICT_TRANS_TABLES"), error.getMessage());
        }
    }

    /**
     * Creates read the database-set columns back in one INSERT ... RETURNING under MARIADB and with
     * a second SELECT under MYSQL; either way the caller gets the stored row, and errors are typed.
     */
    /** Preloading touches no database and changes nothing a dal then does, whichever thread it ran on. */
    @Test
    void preloadNeedsNoDatabaseAndCanRunBesideCreate(TestDatabase database) throws Exception {
        Thread preload = Thread.ofPlatform().start(Dal::preload);
        Dal dal = Dal.create(database.dataSource());
        preload.join();
        Dal.preload();
        Post post = dal.posts().create(new NewPost("preloaded", "body"));
        assertEquals(post, dal.posts().findById(post.id()).orElseThrow());
    }

    @Test
    void theSameQueriesWorkUnderEitherDialect(TestDatabase database) {
        for (SQLDialect dialect : new SQLDialect[] {SQLDialect.MYSQL, SQLDialect.MARIADB}) {
            Dal dal = Dal.create(database.dataSource(), dialect);
            Org org = dal.orgs().create(new NewOrg("dialect-" + dialect + "-" + System.nanoTime(), "", null));
            User user = dal.users().create(new NewUser(dialect + "-" + System.nanoTime() + "@x.test", null, null, org.id()));
            assertEquals(java.util.List.of(user), dal.orgs().findWithMembers(org.id()).orElseThrow().members(), dialect.toString());
            assertEquals(dev.sqlkit.db.enums.Role.USER, user.role(), "the database's default role comes back");
            Post post = dal.posts().create(new NewPost("Under " + dialect, "body"));
            assertEquals(java.util.Optional.of(post), dal.posts().findById(post.id()), dialect.toString());
            assertTrue(post.createdAt() != null && !post.isPublished(), "database-set columns come back: " + post);
            assertThrows(ConflictException.class, () -> dal.orgs().create(new NewOrg(org.name(), "again", null)), dialect.toString());
            assertThrows(InvalidInputException.class,
                    () -> dal.posts().create(new NewPost("t", "b", false, Long.MAX_VALUE)), dialect.toString());
        }
    }

    /**
     * What a user of MariaDB gets from INSERT ... RETURNING: one statement per create, not two. Counted
     * by the server (its session counters, on the one connection the dal is given), so that a statement
     * the dal runs outside jOOQ's execution is counted too.
     */
    @Test
    void aCreateOnMariaDbIsOneStatementAndOnMySqlAnInsertThenASelect(TestDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            assumeTrue(connection.getMetaData().getDatabaseProductVersion().contains("MariaDB"),
                    "INSERT ... RETURNING needs a MariaDB server");
            for (SQLDialect dialect : new SQLDialect[] {SQLDialect.MARIADB, SQLDialect.MYSQL}) {
                DSLContext oneConnection = DSL.using(connection, dialect);
                Map<String, Long> before = statementCounts(connection);
                Post post = new PostRepository(Attempts.joined(oneConnection)).create(new NewPost("Counted under " + dialect, "body"));
                Map<String, Long> after = statementCounts(connection);
                assertTrue(post.id() > 0 && post.createdAt() != null, post.toString());
                long inserts = after.get("com_insert") - before.get("com_insert");
                long selects = after.get("com_select") - before.get("com_select");
                assertEquals(1, inserts, dialect + ": inserts");
                assertEquals(dialect == SQLDialect.MARIADB ? 0 : 1, selects, dialect + ": selects after the insert");
            }
        }
    }

    private static Map<String, Long> statementCounts(Connection connection) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Com_insert', 'Com_select')")) {
            while (rows.next()) {
                counts.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getLong(2));
            }
        }
        return counts;
    }
}
