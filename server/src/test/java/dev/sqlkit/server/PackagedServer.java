package dev.sqlkit.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The packaged server ({@code target/sqlkit-server.jar}, built before the integration tests run) as
 * its own process over a test database, on a free loopback port, its output in a log file.
 */
final class PackagedServer {

    private PackagedServer() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code java <jvmOptions> -jar sqlkit-server.jar <arguments>}, configured by environment as a user would. */
    static ProcessBuilder command(TestDatabase database, int port, Path log, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(Path.of("target", "sqlkit-server.jar").toAbsolutePath().toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "DATABASE_URL", database.jdbcUrl(),
                "DATABASE_USER", String.valueOf(database.user()),
                "DATABASE_PASSWORD", database.password() == null ? "" : database.password(),
                "SERVER_PORT", String.valueOf(port),
                "SERVER_HOST", "127.0.0.1"));
        return builder;
    }

    /** Waits (at most 60 s) until the readiness check answers 200; fails with the log if the server exits first. */
    static void awaitReady(Process server, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + port + "/observe/health/ready");
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!server.isAlive()) {
                throw new AssertionError("the server exited during start-up:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server was not ready within 60 s:\n" + Files.readString(log));
    }
}
