package dev.sqlkit.codegen;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.DatabaseServers;
import dev.sqlkit.mysql.Directories;
import dev.sqlkit.mysql.MysqlSetupException;
import dev.sqlkit.mysql.ProvisionSettings;
import dev.sqlkit.mysql.ScratchDatabase;

/**
 * Decides whether the generated sources are up to date and, only if they are not, provisions a
 * fresh database for Flyway and jOOQ.
 *
 * <p>The decision is taken before anything is started, by comparing a {@link Fingerprint} of the
 * migrations and of the Flyway and jOOQ plugin configurations with the stamp that {@code release}
 * wrote beside the generated sources. Unchanged: no database, and {@code sqlkit.codegen.skip=true}
 * makes Flyway and jOOQ skip. Changed: the stamp and the old sources are deleted first (so a failed
 * generation can never leave stale classes behind that look current), a scratch database is
 * created, and its coordinates are published as the project properties
 * {@code sqlkit.codegen.url}, {@code .user}, {@code .password}, {@code .schema} and
 * {@code .jooqDatabase} (the jOOQ reader matching the server).
 */
@Mojo(name = "provision", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class ProvisionMojo extends AbstractMojo {

    /** The plugins whose configuration decides what gets generated. */
    static final List<String> GENERATOR_PLUGINS = List.of(
            "org.flywaydb:flyway-maven-plugin", "org.jooq:jooq-codegen-maven");

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /** The folder of Flyway migrations that the generated sources are derived from. */
    @Parameter(property = "sqlkit.migrations", required = true)
    private File migrations;

    /** jOOQ's target directory; deleted before a regeneration, added as a source root on a skip. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/jooq", required = true)
    private File generatedSources;

    /** Records the fingerprint of what produced {@link #generatedSources}. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/sqlkit-codegen.stamp", required = true)
    private File stamp;

    /** Scratch space of the embedded database. */
    @Parameter(defaultValue = "${project.build.directory}/sqlkit-codegen", required = true)
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

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (!migrations.isDirectory()) {
            throw new MojoFailureException("The migrations folder " + migrations + " does not exist."
                    + " Set <migrations> (property sqlkit.migrations) to the folder holding V1__*.sql.");
        }
        String fingerprint = Fingerprint.of(migrations.toPath(), configuration());
        Properties properties = project.getProperties();
        if (!force && isUpToDate(fingerprint)) {
            properties.setProperty("sqlkit.codegen.skip", "true");
            // jOOQ adds its target directory as a source root only when it runs.
            project.addCompileSourceRoot(generatedSources.getPath());
            getLog().info("sqlkit-codegen: migrations and codegen configuration unchanged (fingerprint "
                    + fingerprint.substring(0, 12) + "); no database provisioned, Flyway and jOOQ skipped.");
            return;
        }

        deleteStaleOutput();
        long start = System.nanoTime();
        ProvisionSettings settings = ProvisionSettings.from(this::setting, workDirectory.toPath())
                .withMysqlImage(mysqlImage);
        DatabaseServer server;
        ScratchDatabase database;
        try {
            server = DatabaseServers.start(settings, line -> getLog().info("sqlkit-codegen: " + line));
        } catch (MysqlSetupException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        try {
            database = server.createScratchDatabase("sqlkit_codegen");
        } catch (MysqlSetupException e) {
            server.close();
            throw new MojoFailureException(e.getMessage(), e);
        }
        getPluginContext().put(CodegenSession.CONTEXT_KEY, new CodegenSession(server, database, fingerprint));

        properties.setProperty("sqlkit.codegen.skip", "false");
        properties.setProperty("sqlkit.codegen.url", database.url().jdbcUrl());
        properties.setProperty("sqlkit.codegen.user", nullToEmpty(database.url().user()));
        properties.setProperty("sqlkit.codegen.password", nullToEmpty(database.url().password()));
        properties.setProperty("sqlkit.codegen.schema", database.name());
        // jOOQ's MySQL reader misreads MariaDB's column defaults (it would generate the literal
        // 'USER', quotes included), so the reader follows the server actually provisioned.
        properties.setProperty("sqlkit.codegen.jooqDatabase", server.version().isMariaDb()
                ? "org.jooq.meta.mariadb.MariaDBDatabase" : "org.jooq.meta.mysql.MySQLDatabase");
        getLog().info("sqlkit-codegen: " + (force ? "regeneration forced" : "migrations or codegen configuration changed")
                + "; generating from scratch database " + database.name() + " (ready in "
                + (System.nanoTime() - start) / 1_000_000 + " ms).");
    }

    /**
     * The configuration texts that go into the fingerprint: this plugin's version and, for Flyway and
     * jOOQ, version, configuration, executions and dependencies as the effective model has them.
     */
    private List<String> configuration() {
        List<String> parts = new ArrayList<>();
        parts.add(plugin.getId());
        for (Plugin buildPlugin : project.getBuildPlugins()) {
            if (!GENERATOR_PLUGINS.contains(buildPlugin.getKey())) {
                continue;
            }
            parts.add(buildPlugin.getId());
            parts.add(String.valueOf(buildPlugin.getConfiguration()));
            for (PluginExecution execution : buildPlugin.getExecutions()) {
                parts.add(execution.getId() + " " + execution.getPhase() + " " + execution.getGoals());
                parts.add(String.valueOf(execution.getConfiguration()));
            }
            for (Dependency dependency : buildPlugin.getDependencies()) {
                parts.add(dependency.getManagementKey() + ":" + dependency.getVersion());
            }
        }
        return parts;
    }

    private boolean isUpToDate(String fingerprint) throws MojoExecutionException {
        Path stampFile = stamp.toPath();
        if (!Files.isRegularFile(stampFile) || !generatedSources.isDirectory()) {
            return false;
        }
        try (Stream<Path> files = Files.walk(generatedSources.toPath())) {
            return Files.readString(stampFile, StandardCharsets.UTF_8).strip().equals(fingerprint)
                    && files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + stampFile + ": " + e.getMessage(), e);
        }
    }

    private void deleteStaleOutput() throws MojoExecutionException {
        try {
            Files.deleteIfExists(stamp.toPath());
            Directories.deleteRecursively(generatedSources.toPath());
        } catch (IOException | RuntimeException e) {
            throw new MojoExecutionException("Cannot delete the previous generated sources in " + generatedSources
                    + ": " + e.getMessage(), e);
        }
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

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
