package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {

    private static final List<String> CONFIG = List.of("jooq 3.21.7", "<configuration/>");

    @TempDir
    Path migrations;

    private String original;

    @BeforeEach
    void twoMigrations() throws IOException {
        Files.writeString(migrations.resolve("V1__create.sql"), "CREATE TABLE t (id BIGINT);");
        Files.writeString(migrations.resolve("V2__alter.sql"), "ALTER TABLE t ADD COLUMN c INT;");
        original = Fingerprint.of(migrations, CONFIG);
    }

    @Test
    void isStableForUnchangedInput() {
        assertEquals(original, Fingerprint.of(migrations, CONFIG));
    }

    @Test
    void changesWhenAMigrationIsEdited() throws IOException {
        Files.writeString(migrations.resolve("V2__alter.sql"), "ALTER TABLE t ADD COLUMN c BIGINT;");
        assertNotEquals(original, Fingerprint.of(migrations, CONFIG));
    }

    @Test
    void changesWhenAMigrationIsAdded() throws IOException {
        Files.writeString(migrations.resolve("V3__more.sql"), "");
        assertNotEquals(original, Fingerprint.of(migrations, CONFIG));
    }

    @Test
    void changesWhenAMigrationIsRemoved() throws IOException {
        Files.delete(migrations.resolve("V2__alter.sql"));
        assertNotEquals(original, Fingerprint.of(migrations, CONFIG));
    }

    @Test
    void changesWhenAMigrationIsRenamed() throws IOException {
        Files.move(migrations.resolve("V2__alter.sql"), migrations.resolve("V3__alter.sql"));
        assertNotEquals(original, Fingerprint.of(migrations, CONFIG));
    }

    @Test
    void changesWhenTheCodegenConfigurationChanges() {
        assertNotEquals(original, Fingerprint.of(migrations, List.of("jooq 3.21.8", "<configuration/>")));
    }

    @Test
    void doesNotConfuseWhereOnePartEndsAndTheNextBegins() {
        assertNotEquals(Fingerprint.of(migrations, List.of("ab", "c")), Fingerprint.of(migrations, List.of("a", "bc")));
    }
}
