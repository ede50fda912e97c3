package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The diff the build shows when the committed schema file is stale. */
class SchemaFileTest {

    @Test
    void showsTheLinesThatDifferWithTheirNumbers() {
        String committed = "CREATE TABLE t (\n  id bigint NOT NULL,\n  PRIMARY KEY (id)\n);\n";
        String produced = "CREATE TABLE t (\n  id bigint NOT NULL,\n  subtitle varchar(255) NULL,\n  PRIMARY KEY (id)\n);\n";
        assertEquals(List.of("+   3 |   subtitle varchar(255) NULL,"), SchemaFile.diff(committed, produced, 40));
        assertEquals(List.of("-   3 |   subtitle varchar(255) NULL,"), SchemaFile.diff(produced, committed, 40));
        assertEquals(List.of(), SchemaFile.diff(produced, produced, 40));
    }
}
