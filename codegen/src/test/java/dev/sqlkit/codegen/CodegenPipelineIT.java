package dev.sqlkit.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build pipeline end to end, as a developer meets it: a copy of this repository is built with
 * the same Maven, over and over, while its migrations change. The steps form one story and run in
 * order; each step states what the developer would see.
 */
@TestMethodOrder(OrderAnnotation.class)
class CodegenPipelineIT {

    private static final String DATABASE_CHOSEN = "sqlkit-codegen: Database: ";
    private static final String UNCHANGED = "migrations and codegen configuration unchanged";
    private static final String UPDATE_SCHEMA = "-Dsqlkit.schema.update=true";

    @TempDir
    static Path workspace;

    private static Path repository;
    private static Map<String, String> firstGeneration;
    /** The first migration version this story adds: one past the project's newest migration. */
    private static int next;

    @BeforeAll
    static void copyRepository() throws IOException {
        Path source = Path.of(System.getProperty("sqlkit.repository", "..")).toAbsolutePath().normalize();
        repository = workspace.resolve("repository");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.filter(path -> isSource(source.relativize(path))).toList()) {
                Path target = repository.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        try (Stream<Path> files = Files.list(migrations())) {
            next = 1 + files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .max().orElse(0);
        }
    }

    @Test
    @Order(1)
    void aColdBuildProvisionsADatabaseAndGeneratesTheClasses() throws Exception {
        Build build = succeedingBuild();
        assertTrue(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertTrue(Files.readString(generated("tables/Posts.java")).contains("TableField<PostsRecord, Boolean> PUBLISHED"));
        firstGeneration = hashesOfGeneratedSources();
        System.out.printf("cold build: %d ms%n", build.millis());
    }

    @Test
    @Order(2)
    void aBuildWithUnchangedMigrationsProvisionsNoDatabase() throws Exception {
        Build build = succeedingBuild();
        assertTrue(build.log().contains(UNCHANGED), build.tail());
        assertFalse(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertTrue(build.log().contains("no database started"), build.tail());
        assertEquals(firstGeneration, hashesOfGeneratedSources(), "skipped build must keep the sources");
        System.out.printf("no-change build: %d ms%n", build.millis());
    }

    @Test
    @Order(3)
    void regeneratingFromTheSameMigrationsGivesByteIdenticalFiles() throws Exception {
        Build build = succeedingBuild("-Dsqlkit.codegen.force=true");
        assertTrue(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertEquals(firstGeneration, hashesOfGeneratedSources());
    }

    @Test
    @Order(4)
    void aColumnAddedByANewMigrationAppearsInTheGeneratedClasses() throws Exception {
        writeMigration("V" + next + "__add_posts_subtitle.sql", "ALTER TABLE posts ADD COLUMN subtitle VARCHAR(255) NULL;");
        writeDalClass("SubtitleQuery", """
                package dev.sqlkit.dal;

                final class SubtitleQuery {
                    static final Object FIELD = dev.sqlkit.db.Tables.POSTS.SUBTITLE;
                }
                """);
        // The committed schema file must follow the migrations; the developer asks for that.
        Build build = succeedingBuild(UPDATE_SCHEMA);
        assertTrue(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertTrue(Files.readString(generated("tables/Posts.java")).contains("TableField<PostsRecord, String> SUBTITLE"));
        assertTrue(build.log().contains("updated ../schema/src/main/resources/db/schema.sql"), build.tail());
        assertTrue(Files.readString(schemaFile()).contains("  subtitle varchar(255) NULL,\n"));
        assertTrue(build.log().contains("migrations without one: V" + next + "__add_posts_subtitle.sql"), build.tail());
        System.out.printf("regenerating build: %d ms%n", build.millis());
    }

    @Test
    @Order(5)
    void codeUsingAColumnThatAMigrationDroppedNoLongerCompiles() throws Exception {
        writeMigration("V" + (next + 1) + "__drop_posts_subtitle.sql", "ALTER TABLE posts DROP COLUMN subtitle;");
        Build build = failingBuild(UPDATE_SCHEMA);
        assertTrue(build.log().contains("COMPILATION ERROR"), build.tail());
        assertTrue(build.log().contains("SubtitleQuery.java"), build.tail());
        assertTrue(build.log().contains("cannot find symbol"), build.tail());
        assertFalse(Files.readString(generated("tables/Posts.java")).contains("SUBTITLE"));
    }

    @Test
    @Order(6)
    void aBrokenMigrationFailsNamingTheFileAndLeavesNothingToCompileAgainst() throws Exception {
        Files.delete(repository.resolve("dal/src/main/java/dev/sqlkit/dal/SubtitleQuery.java"));
        Files.delete(migrations().resolve("V" + (next + 1) + "__drop_posts_subtitle.sql"));
        writeMigration("V" + (next + 1) + "__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x INT;");
        Build build = failingBuild();
        assertTrue(build.log().contains("V" + (next + 1) + "__broken.sql"), build.tail());
        assertTrue(build.log().contains("no_such_table"), build.tail());
        assertFalse(build.log().contains("COMPILATION ERROR"), build.tail());
        assertTrue(hashesOfGeneratedSources().isEmpty(), "stale generated sources were left behind");
        assertFalse(Files.exists(repository.resolve("dal/target/generated-sources/sqlkit-codegen.stamp")));
    }

    @Test
    @Order(7)
    void removingTheBrokenMigrationRegeneratesOnTheNextBuild() throws Exception {
        Files.delete(migrations().resolve("V" + (next + 1) + "__broken.sql"));
        Build build = succeedingBuild(UPDATE_SCHEMA);
        assertTrue(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertTrue(Files.readString(generated("tables/Posts.java")).contains("SUBTITLE"));
    }

    @Test
    @Order(8)
    void aStaleCommittedSchemaFileFailsTheBuildShowingTheDifferenceWithoutADatabase() throws Exception {
        String current = Files.readString(schemaFile());
        Files.writeString(schemaFile(), current.replace("  subtitle varchar(255) NULL,\n", ""));
        Build build = failingBuild();
        assertTrue(build.log().contains(UNCHANGED), build.tail());
        assertFalse(build.log().contains(DATABASE_CHOSEN), build.tail());
        assertTrue(build.log().contains("schema.sql is not the schema the migrations make"), build.tail());
        assertTrue(build.log().matches("(?s).*\\+ *\\d+ \\|   subtitle varchar\\(255\\) NULL,.*"), build.tail());
        assertTrue(build.log().contains("-Dsqlkit.schema.update=true"), build.tail());

        succeedingBuild(UPDATE_SCHEMA);
        assertEquals(current, Files.readString(schemaFile()));
    }

    @Test
    @Order(9)
    void anUndoScriptThatDoesNotUndoFailsNamingTheDifference() throws Exception {
        String undo = "U" + next + "__add_posts_subtitle.sql";
        writeMigration(undo, "-- forgets the column\nDROP INDEX ix_posts_published_id ON posts;\n"
                + "CREATE INDEX ix_posts_published_id ON posts (published, id);");
        Build build = failingBuild();
        assertTrue(build.log().contains(undo + " does not undo V" + next + "__add_posts_subtitle.sql"), build.tail());
        assertTrue(build.log().contains("column posts.subtitle (varchar(255) NULL) should not exist"), build.tail());
        assertTrue(hashesOfGeneratedSources().isEmpty(), "sources of a failed check were left behind");

        writeMigration(undo, "ALTER TABLE posts DROP COLUMN subtitle;");
        Build fixed = succeedingBuild();
        assertTrue(fixed.log().contains("undo scripts: " + next + " verified"), fixed.tail());
    }

    @Test
    @Order(10)
    void aMigrationOutsideThePortableSubsetFailsTheLintNamingTheLine() throws Exception {
        String migration = "V" + (next + 1) + "__posts_extra.sql";
        writeMigration(migration, "-- extra data\nALTER TABLE posts\n  ADD COLUMN extra JSON NULL;");
        Build build = failingBuild();
        assertTrue(build.log().contains(migration + ":3: column posts.extra: JSON column type"), build.tail());
        assertFalse(build.log().contains(DATABASE_CHOSEN), "the lint runs before any database: " + build.tail());
        Files.delete(migrations().resolve(migration));
    }

    @Test
    @Order(11)
    void withoutADatabaseTheCommittedSchemaFileIsGeneratedFrom() throws Exception {
        Build build = succeedingBuild("-Dsqlkit.codegen.fromSchemaFile=true");
        assertTrue(build.log().contains(DATABASE_CHOSEN + "none; generating from the committed"
                + " ../schema/src/main/resources/db/schema.sql with jOOQ's DDLDatabase"), build.tail());
        assertTrue(Files.readString(generated("tables/Posts.java")).contains("TableField<PostsRecord, String> SUBTITLE"));
        assertTrue(Files.readString(generated("tables/Posts.java")).contains("TableField<PostsRecord, Boolean> PUBLISHED"));

        Build next = succeedingBuild();
        assertTrue(next.log().contains(DATABASE_CHOSEN), "no stamp after the fallback, so a database is used again: " + next.tail());
    }

    private record Build(int exitCode, String log, long millis) {
        String tail() {
            List<String> lines = log.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }

    /** A {@link #build} that must succeed; else the test fails showing the end of the log. */
    private static Build succeedingBuild(String... extraArguments) throws Exception {
        Build build = build(extraArguments);
        assertEquals(0, build.exitCode(), build.tail());
        return build;
    }

    /** A {@link #build} that must fail; else the test fails showing the end of the log. */
    private static Build failingBuild(String... extraArguments) throws Exception {
        Build build = build(extraArguments);
        assertNotEquals(0, build.exitCode(), build.tail());
        return build;
    }

    /** Builds schema, mysql, codegen and dal of the copy, without tests, with the Maven running this test. */
    private static Build build(String... extraArguments) throws Exception {
        Path mavenHome = Path.of(System.getProperty("maven.home"));
        List<String> command = new ArrayList<>(List.of(mavenHome.resolve("bin/mvn").toString(),
                "-B", "-Dmaven.test.skip=true", "-pl", "schema,mysql,codegen,dal", "verify"));
        String localRepository = System.getProperty("maven.repo.local");
        if (localRepository != null && !localRepository.isBlank()) {
            command.add("-Dmaven.repo.local=" + localRepository);
        }
        for (String name : List.of("sqlkit.db.url", "sqlkit.db.user", "sqlkit.db.password")) {
            String value = System.getProperty(name);
            if (value != null && !value.isBlank()) {
                command.add("-D" + name + "=" + value);
            }
        }
        command.addAll(List.of(extraArguments));
        Path log = Files.createTempFile(workspace, "build", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("build did not finish in 10 minutes: " + Files.readString(log));
        }
        return new Build(process.exitValue(), Files.readString(log), (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean isSource(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals(".git") || name.equals(".idea")) {
                return false;
            }
        }
        return true;
    }

    private static Path migrations() {
        return repository.resolve("schema/src/main/resources/db/migration");
    }

    private static Path schemaFile() {
        return repository.resolve("schema/src/main/resources/db/schema.sql");
    }

    private static Path generated(String file) {
        return repository.resolve("dal/target/generated-sources/jooq/dev/sqlkit/db").resolve(file);
    }

    private static void writeMigration(String name, String sql) throws IOException {
        Files.writeString(migrations().resolve(name), sql);
    }

    private static void writeDalClass(String name, String source) throws IOException {
        Path file = repository.resolve("dal/src/main/java/dev/sqlkit/dal/" + name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
    }

    private static Map<String, String> hashesOfGeneratedSources() throws Exception {
        Path root = repository.resolve("dal/target/generated-sources/jooq");
        Map<String, String> hashes = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return hashes;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                hashes.put(root.relativize(file).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return hashes;
    }
}
