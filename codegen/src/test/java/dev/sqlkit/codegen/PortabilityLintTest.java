package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portability lint: each forbidden construct at its line, the vitess profile, and the project's migrations. */
class PortabilityLintTest {

    @TempDir
    Path folder;

    @Test
    void eachForbiddenConstructIsFlaggedAtItsLine() throws IOException {
        Path file = write("V1__bad.sql", """
                -- line 1
                CREATE TABLE docs (
                    id      BIGINT       NOT NULL AUTO_INCREMENT,
                    payload JSON         NULL,
                    token   UUID         NULL,
                    title   VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
                    made_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
                    slug    VARCHAR(36)  NOT NULL DEFAULT (UUID()),
                    PRIMARY KEY (id)
                );

                INSERT INTO docs (title, slug)
                VALUES ('a', 'b')
                RETURNING id;
                """);
        List<PortabilityLint.Finding> findings = lint(PortabilityLint.Profile.PORTABLE, file).findings();
        assertFinding(findings, 4, "column docs.payload: JSON column type");
        assertFinding(findings, 5, "column docs.token: UUID column type");
        assertFinding(findings, 6, "column docs.title: explicit collation utf8mb4_bin");
        assertFinding(findings, 8, "column docs.slug: expression default");
        assertFinding(findings, 14, "RETURNING");
        assertEquals(5, findings.size(), findings.toString());
    }

    @Test
    void aColumnAddedLaterIsJudgedByWhatItBecomes() throws IOException {
        Path first = write("V1__t.sql", "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY);");
        Path second = write("V2__t.sql", "\nALTER TABLE t\n    ADD COLUMN data JSON NULL;");
        List<PortabilityLint.Finding> findings = lint(PortabilityLint.Profile.PORTABLE, first, second).findings();
        assertEquals(1, findings.size(), findings.toString());
        assertFinding(findings, 3, "column t.data: JSON column type");
        assertTrue(findings.get(0).toString().startsWith("V2__t.sql:3: "), findings.toString());
    }

    @Test
    void theVitessProfileFlagsForeignKeysAndTablesWithoutAPrimaryKey() throws IOException {
        Path file = write("V1__t.sql", """
                CREATE TABLE parent (id BIGINT NOT NULL PRIMARY KEY);
                CREATE TABLE child (
                    id        BIGINT NOT NULL PRIMARY KEY,
                    parent_id BIGINT NULL,
                    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
                );
                CREATE TABLE notes (body TEXT NOT NULL);
                """);
        assertEquals(List.of(), lint(PortabilityLint.Profile.PORTABLE, file).findings());
        List<PortabilityLint.Finding> findings = lint(PortabilityLint.Profile.VITESS, file).findings();
        assertFinding(findings, 5, "table child: foreign key fk_child_parent references parent");
        assertFinding(findings, 7, "table notes has no primary key");
        assertEquals(2, findings.size(), findings.toString());
        assertEquals(1, new PortabilityLint(PortabilityLint.Profile.VITESS, true).check(List.of(file), folder).findings().size(),
                "with foreign keys enabled only the missing primary key remains");
    }

    @Test
    void theProjectsMigrationsPassTheDefaultLint() throws IOException {
        Path migrations = Path.of("../schema/src/main/resources/db/migration").toAbsolutePath().normalize();
        List<Path> files = PortabilityLint.inApplyOrder(migrations);
        PortabilityLint.Result result = new PortabilityLint(PortabilityLint.Profile.PORTABLE, false).check(files, migrations);
        assertEquals(List.of(), result.findings());
        assertTrue(result.checked() > 10, "statements checked: " + result.checked());
        // The one known gap: jOOQ's parser cannot read V2's ALTER TABLE with ADD COLUMN and ADD INDEX
        // together (nor its undo's counterpart); anything else it skipped would go unchecked unseen.
        assertEquals(List.of(), result.notLinted().stream()
                .map(skipped -> skipped.file().getFileName().toString())
                .filter(name -> !name.startsWith("V2__") && !name.startsWith("U2__"))
                .toList());
    }

    @Test
    void filesAreLintedInFlywaysOrderWithSubfoldersAndEachUndoAfterItsMigration() throws IOException {
        Files.createDirectories(folder.resolve("later"));
        for (String name : new String[] {"V10__j.sql", "U2__b.sql", "later/V2_1__c.sql", "V2__b.sql", "R__view.sql", "V1__a.sql"}) {
            Files.writeString(folder.resolve(name), "SELECT 1;");
        }
        assertEquals(List.of("V1__a.sql", "V2__b.sql", "U2__b.sql", "V2_1__c.sql", "V10__j.sql", "R__view.sql"),
                PortabilityLint.inApplyOrder(folder).stream().map(path -> path.getFileName().toString()).toList());
    }

    private PortabilityLint.Result lint(PortabilityLint.Profile profile, Path... files) throws IOException {
        return new PortabilityLint(profile, false).check(List.of(files), folder);
    }

    private static void assertFinding(List<PortabilityLint.Finding> findings, int line, String text) {
        assertTrue(findings.stream().anyMatch(finding -> finding.line() == line && finding.message().contains(text)),
                "expected line " + line + ": " + text + " in " + findings);
    }

    private Path write(String name, String sql) throws IOException {
        return Files.writeString(folder.resolve(name), sql);
    }
}
