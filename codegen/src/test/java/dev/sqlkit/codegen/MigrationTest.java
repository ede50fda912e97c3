package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MigrationTest {

    @Test
    void flywaysReportOfAFailedMigrationBecomesOneLine() {
        String report = """
                Migration V5__broken.sql failed
                -------------------------------
                SQL State  : 42S02
                Error Code : 1146
                Message    : Table 'sqlkit_codegen_1.no_such_table' doesn't exist
                Location   : /p/db/migration/V5__broken.sql (/p/db/migration/V5__broken.sql)
                Line       : 1
                Statement  : ALTER TABLE no_such_table ADD COLUMN x INT
                """;
        assertEquals("Migration V5__broken.sql failed: Table 'sqlkit_codegen_1.no_such_table' doesn't exist"
                + " (/p/db/migration/V5__broken.sql, line 1)", Migration.oneLine(report));
    }

    @Test
    void aMessageWithoutFieldsIsKeptAsItsFirstLine() {
        assertEquals("Invalid migration name V3_add.sql", Migration.oneLine("Invalid migration name V3_add.sql\nmore"));
    }
}
