package dev.sqlkit.codegen;

import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.ScratchDatabase;

/**
 * What {@code provision} hands to {@code release} through the plugin context: the database to
 * release and the fingerprint to record once generation has succeeded. Closing is idempotent
 * because both {@code release} and the JVM shutdown hook (for failed builds) may do it.
 */
final class CodegenSession implements AutoCloseable {

    static final String CONTEXT_KEY = CodegenSession.class.getName();

    private final DatabaseServer server;
    private final ScratchDatabase database;
    private final String fingerprint;
    private final long startedNanos;
    private final Thread shutdownHook;
    private boolean closed;

    CodegenSession(DatabaseServer server, ScratchDatabase database, String fingerprint) {
        this.server = server;
        this.database = database;
        this.fingerprint = fingerprint;
        this.startedNanos = System.nanoTime();
        this.shutdownHook = new Thread(this::closeAfterFailedBuild, "sqlkit-codegen-release");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    DatabaseServer server() {
        return server;
    }

    ScratchDatabase database() {
        return database;
    }

    String fingerprint() {
        return fingerprint;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The build failed before release: clean up, and say so in one line if that fails too. */
    private void closeAfterFailedBuild() {
        try {
            close();
        } catch (Throwable e) {
            System.err.println("sqlkit-codegen: could not release " + database.name() + " on " + server.description()
                    + " after the failed build: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        try (server) {
            database.close();
        }
    }
}
