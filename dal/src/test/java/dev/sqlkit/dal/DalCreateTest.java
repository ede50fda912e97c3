package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
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

    /** What a user of MariaDB gets from INSERT ... RETURNING: one statement per create, not two. */
    @Test
    void aCreateOnMariaDbIsOneStatementAndOnMySqlAnInsertThenASelect(TestDatabase database) throws Exception {
        try (var connection = database.dataSource().getConnection()) {
            assumeTrue(connection.getMetaData().getDatabaseProductVersion().contains("MariaDB"),
                    "INSERT ... RETURNING needs a MariaDB server");
        }
        for (SQLDialect dialect : new SQLDialect[] {SQLDialect.MARIADB, SQLDialect.MYSQL}) {
            List<String> statements = new CopyOnWriteArrayList<>();
            DSLContext recording = DSL.using(new DefaultConfiguration()
                    .set(database.dataSource())
                    .set(dialect)
                    .set(ExecuteListener.onExecuteStart(ctx -> statements.add(ctx.sql().toLowerCase(Locale.ROOT)))));
            Post post = new PostRepository(Attempts.joined(recording)).create(new NewPost("Counted under " + dialect, "body"));
            assertTrue(post.id() > 0 && post.createdAt() != null, post.toString());
            if (dialect == SQLDialect.MARIADB) {
                assertEquals(1, statements.size(), statements.toString());
                assertTrue(statements.get(0).startsWith("insert") && statements.get(0).contains(" returning "), statements.toString());
            } else {
                assertEquals(2, statements.size(), statements.toString());
                assertTrue(statements.get(0).startsWith("insert") && !statements.get(0).contains("returning"), statements.toString());
                assertTrue(statements.get(1).startsWith("select"), statements.toString());
            }
        }
    }
}
