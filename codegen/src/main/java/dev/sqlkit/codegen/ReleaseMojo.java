package dev.sqlkit.codegen;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import dev.sqlkit.mysql.MysqlSetupException;

/**
 * Runs after Flyway and jOOQ (hence the later phase: goals of one plugin cannot be interleaved with
 * another plugin's within a phase). Drops the scratch database, stops whatever {@code provision}
 * started, and only then, with generation known to have succeeded, writes the stamp that lets the
 * next build skip. A build that failed earlier never gets here: it leaves no stamp, so the next
 * build regenerates, and the JVM shutdown hook releases the database.
 */
@Mojo(name = "release", defaultPhase = LifecyclePhase.PROCESS_SOURCES, threadSafe = true)
public final class ReleaseMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/jooq", required = true)
    private File generatedSources;

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/sqlkit-codegen.stamp", required = true)
    private File stamp;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        CodegenSession session = (CodegenSession) getPluginContext().remove(CodegenSession.CONTEXT_KEY);
        if (session == null) {
            return; // provision decided that nothing changed
        }
        try {
            session.close();
        } catch (MysqlSetupException e) {
            getLog().warn("sqlkit-codegen: " + e.getMessage());
        }
        if (!containsJavaSources(generatedSources.toPath())) {
            throw new MojoFailureException("jOOQ generated no sources into " + generatedSources
                    + " from the scratch database " + session.database().name()
                    + ". Check that <inputSchema> is ${sqlkit.codegen.schema} and that the migrations create tables.");
        }
        try {
            Files.writeString(stamp.toPath(), session.fingerprint() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot write " + stamp + ": " + e.getMessage(), e);
        }
        getLog().info("sqlkit-codegen: sources generated in " + session.elapsedMillis() + " ms; released "
                + session.server().description() + "; stamp " + session.fingerprint().substring(0, 12) + " written.");
    }

    private static boolean containsJavaSources(Path directory) throws MojoExecutionException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new MojoExecutionException("Cannot read " + directory + ": " + e.getMessage(), e);
        }
    }
}
