package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.POSTS;
import static dev.sqlkit.db.Tables.USERS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.jooq.TableField;
import org.junit.jupiter.api.Test;

import dev.sqlkit.db.Keys;
import dev.sqlkit.db.enums.Role;
import dev.sqlkit.db.tables.records.OrgsRecord;
import dev.sqlkit.db.tables.records.PostsRecord;
import dev.sqlkit.db.tables.records.UsersRecord;

/**
 * What the code generator must produce from the migrations. The typed assignments are the real
 * assertions: if a column changed its Java type (BOOLEAN to Byte, BIGINT to ULong, DATETIME to
 * LocalDateTime), this class would stop compiling.
 */
class GeneratedSchemaTest {

    @Test
    void columnsHaveTheJavaTypesOfTheirSqlTypes() {
        TableField<PostsRecord, Long> postId = POSTS.ID;
        TableField<PostsRecord, Boolean> published = POSTS.PUBLISHED;
        TableField<PostsRecord, Instant> postCreatedAt = POSTS.CREATED_AT;
        TableField<UsersRecord, Role> role = USERS.ROLE;
        TableField<UsersRecord, Long> orgId = USERS.ORG_ID;
        TableField<PostsRecord, Long> authorId = POSTS.AUTHOR_ID;
        TableField<OrgsRecord, String> url = ORGS.URL;

        assertFalse(published.getDataType().nullable());
        assertTrue(orgId.getDataType().nullable());
        assertTrue(authorId.getDataType().nullable());
        assertTrue(url.getDataType().nullable());
        assertTrue(postId.getDataType().identity());
        assertEquals(6, postCreatedAt.getDataType().precision(), "DATETIME(6) keeps microseconds");
        assertArrayEquals(new Role[] {Role.USER, Role.ADMIN}, Role.values());
        assertEquals("ADMIN", Role.ADMIN.getLiteral());
        assertEquals(Role.class, role.getType());
    }

    @Test
    void uniqueAndForeignKeysComeFromTheMigrations() {
        assertEquals(List.of(ORGS.NAME), Keys.KEY_ORGS_UQ_ORGS_NAME.getFields());
        assertEquals(List.of(USERS.EMAIL), Keys.KEY_USERS_UQ_USERS_EMAIL.getFields());
        assertEquals(ORGS, Keys.FK_USERS_ORG.getKey().getTable());
        assertEquals(USERS, Keys.FK_POSTS_AUTHOR.getKey().getTable());
    }

    @Test
    void theBuildDatabaseNameIsNotBakedIntoTheGeneratedCode() throws IOException {
        Path generated = Path.of("target/generated-sources/jooq");
        assertTrue(Files.isDirectory(generated), "run from the dal module directory");
        try (Stream<Path> files = Files.walk(generated)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String source = Files.readString(file);
                assertFalse(source.contains("sqlkit_codegen"), file + " names the scratch database");
            }
        }
        assertEquals("", POSTS.getSchema().getName());
    }
}
