package dev.sqlkit.codegen;

import java.util.ArrayList;
import java.util.List;

import dev.sqlkit.mysql.schema.SchemaSnapshot;

/**
 * The committed description of the migrated schema ({@code db/schema.sql} beside the migrations):
 * what the migrations make, as the scratch database's catalog tells it, written by
 * {@link SchemaSnapshot#toSql()} so that two servers give the same text. A pull request that changes
 * a migration shows the schema change itself in this file; the build fails when the file is not
 * what the migrations make.
 */
final class SchemaFile {

    private SchemaFile() {
    }

    /** The file's text for {@code schema} at {@code version}, made from the migrations in {@code migrationsName}. */
    static String text(SchemaSnapshot schema, String version, String migrationsName) {
        return "-- The schema the migrations in " + migrationsName + " make (version " + version + "), read back from a\n"
                + "-- migrated database by sqlkit-codegen. Do not edit: change or add a migration, then build with\n"
                + "-- -Dsqlkit.schema.update=true and commit this file with it. Collations and auto-increment counters are\n"
                + "-- left out; foreign keys follow the tables.\n\n"
                + schema.toSql();
    }

    /**
     * The lines that differ, {@code -} for the committed file's and {@code +} for what the
     * migrations make, each with its line number, at most {@code limit} of them; empty when equal.
     */
    static List<String> diff(String committed, String produced, int limit) {
        List<String> before = committed.replace("\r\n", "\n").lines().toList();
        List<String> after = produced.lines().toList();
        int[][] common = new int[before.size() + 1][after.size() + 1];
        for (int i = before.size() - 1; i >= 0; i--) {
            for (int j = after.size() - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while ((i < before.size() || j < after.size()) && lines.size() < limit) {
            if (i < before.size() && j < after.size() && before.get(i).equals(after.get(j))) {
                i++;
                j++;
            } else if (j < after.size() && (i == before.size() || common[i][j + 1] >= common[i + 1][j])) {
                lines.add(String.format("+%4d | %s", j + 1, after.get(j)));
                j++;
            } else {
                lines.add(String.format("-%4d | %s", i + 1, before.get(i)));
                i++;
            }
        }
        return lines;
    }
}
