package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;

import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Database;
import org.jooq.meta.jaxb.ForcedType;
import org.jooq.meta.jaxb.Generate;
import org.jooq.meta.jaxb.Generator;
import org.jooq.meta.jaxb.Target;
import org.junit.jupiter.api.Test;

import dev.sqlkit.mysql.ServerVersion;

/** What a project's pom asks for, and what jOOQ is then given. */
class JooqSettingsTest {

    private static final File BASEDIR = new File("/work/books");
    private static final File DIRECTORY = new File(BASEDIR, "target/generated-sources/jooq");

    @Test
    void withoutOverridesTheConventionsApply() {
        Configuration configuration = JooqSettings.of(null, "com.example.db", DIRECTORY, BASEDIR);
        Generator generator = configuration.getGenerator();
        assertEquals("org.jooq.codegen.JavaGenerator", generator.getName());
        assertTrue(generator.getDatabase().isOutputSchemaToDefault());
        assertEquals("flyway_schema_history", generator.getDatabase().getExcludes());
        assertEquals(List.of("BOOLEAN", "java.time.Instant"), generator.getDatabase().getForcedTypes().stream()
                .map(type -> type.getName() != null ? type.getName() : type.getUserType()).toList());
        assertFalse(generator.getGenerate().isGeneratedAnnotation());
        assertFalse(generator.getGenerate().isPojos());
        assertEquals("com.example.db", generator.getTarget().getPackageName());
        assertEquals(DIRECTORY.getAbsolutePath(), generator.getTarget().getDirectory());
    }

    @Test
    void aProjectsSettingsWinAndItsForcedTypesComeFirst() {
        Generator overrides = new Generator()
                .withDatabase(new Database()
                        .withExcludes("audit_.*")
                        .withForcedTypes(new ForcedType().withName("VARCHAR").withIncludeTypes("TEXT")))
                .withGenerate(new Generate().withPojos(true));
        Generator generator = JooqSettings.of(overrides, null, DIRECTORY, BASEDIR).getGenerator();
        assertTrue(generator.getGenerate().isPojos());
        assertTrue(generator.getGenerate().isRecords(), "a convention the project did not touch stays");
        assertEquals("(audit_.*)|flyway_schema_history", generator.getDatabase().getExcludes());
        assertEquals(List.of("VARCHAR", "BOOLEAN", "java.time.Instant"), generator.getDatabase().getForcedTypes().stream()
                .map(type -> type.getName() != null ? type.getName() : type.getUserType()).toList());
    }

    @Test
    void theReaderFollowsTheServer() {
        Configuration mariaDb = JooqSettings.forServer(JooqSettings.of(null, null, DIRECTORY, BASEDIR),
                ServerVersion.of("MySQL", "5.5.5-10.11.19-MariaDB"), "sqlkit_codegen_1");
        assertEquals("org.jooq.meta.mariadb.MariaDBDatabase", mariaDb.getGenerator().getDatabase().getName());
        assertEquals("sqlkit_codegen_1", mariaDb.getGenerator().getDatabase().getInputSchema());
        Configuration mysql = JooqSettings.forServer(JooqSettings.of(null, null, DIRECTORY, BASEDIR),
                ServerVersion.of("MySQL", "8.4.3"), "sqlkit_codegen_2");
        assertEquals("org.jooq.meta.mysql.MySQLDatabase", mysql.getGenerator().getDatabase().getName());
    }

    @Test
    void anOutputDirectoryOtherThanThePluginsIsRefusedNamingTheSetting() {
        Generator overrides = new Generator().withTarget(new Target().withDirectory("target/other"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JooqSettings.of(overrides, null, DIRECTORY, BASEDIR));
        assertTrue(error.getMessage().contains("set <directory> (property sqlkit.codegen.directory)"), error.getMessage());
    }

    @Test
    void theSameOutputDirectoryGivenToJooqIsAccepted() {
        Generator overrides = new Generator().withTarget(new Target().withDirectory("target/generated-sources/jooq"));
        assertEquals(DIRECTORY.getAbsolutePath(),
                JooqSettings.of(overrides, null, DIRECTORY, BASEDIR).getGenerator().getTarget().getDirectory());
    }

    @Test
    void whatSqlkitChoosesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JooqSettings.of(
                new Generator().withDatabase(new Database().withInputSchema("library")), null, DIRECTORY, BASEDIR));
        assertThrows(IllegalArgumentException.class, () -> JooqSettings.of(
                new Generator().withDatabase(new Database().withName("org.jooq.meta.mysql.MySQLDatabase")), null,
                DIRECTORY, BASEDIR));
    }
}
