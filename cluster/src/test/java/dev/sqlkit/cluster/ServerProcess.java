package dev.sqlkit.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the packaged server ({@code sqlkit.server.jar}) as a process of its own, configured
 * by environment as a user would (DATABASE_URL, SERVER_PORT), its output in
 * {@code target/cluster-logs/<name>.log}. Closing it sends SIGTERM (the server drains) and
 * SIGKILL after a bound; a JVM shutdown hook does the same for any instance a failed run left.
 */
record ServerProcess(String name, int port, Process process, Path log) implements AutoCloseable {

    /** Instance i of a test listens on BASE_PORT + i (the fleet's ports, 18101-18109). */
    static final int BASE_PORT = 18100;
    static final Path JAR = Path.of(System.getProperty("sqlkit.server.jar", "../server/target/sqlkit-server.jar"))
            .toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "cluster-logs").toAbsolutePath();
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    /** Starts the jar on port BASE_PORT + {@code instance} over {@code jdbcUrl} as root; does not wait for readiness. */
    static ServerProcess start(String name, int instance, String jdbcUrl) throws IOException {
        return start(name, instance, jdbcUrl, Map.of());
    }

    /** As {@link #start(String, int, String)}, with more settings in the environment ({@code DATABASE_DRIVER=...}). */
    static ServerProcess start(String name, int instance, String jdbcUrl, Map<String, String> environment) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("the server jar " + JAR + " does not exist; build it first:"
                    + " ./mvnw -pl server -am package -DskipTests (or set -Dsqlkit.server.jar=...)");
        }
        int port = BASE_PORT + instance;
        // A leftover server on the port would answer the readiness checks meant for this one.
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException taken) {
            throw new IllegalStateException("port " + port + " is taken (a server left from another run? cluster/fleet.sh stop)", taken);
        }
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("DATABASE_URL", jdbcUrl);
        builder.environment().put("DATABASE_USER", "root");
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().putAll(environment);
        Process process = builder.start();
        RUNNING.add(process);
        return new ServerProcess(name, port, process, log);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Waits until /observe/health/ready answers 200, at most {@code bound}; fails with the log's tail
     * when the process exits first or the bound passes. Returns how long it waited.
     */
    Duration awaitReady(Duration bound) throws Exception {
        long started = System.nanoTime();
        long deadline = started + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                if (Http.get(uri("/observe/health/ready"), Duration.ofSeconds(2)).status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IOException notListeningYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not ready after " + bound.toSeconds() + " s:\n" + logTail());
    }

    /** The exit code of a process expected to stop by itself within {@code bound}. */
    int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + bound.toSeconds() + " s:\n" + logTail());
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** How many lines of the log contain {@code text} (e.g. SEVERE entries). */
    long logLinesContaining(String text) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        RUNNING.remove(process);
    }

    /** Closes every instance given, each bounded; for @AfterAll. */
    static void closeAll(List<ServerProcess> instances) throws InterruptedException {
        for (ServerProcess instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
