package dev.sqlkit.codegen;

import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.ScratchDatabase;

/**
 * The scratch database of one generation and the server it lives on. {@code generate} closes it when
 * it is done, successful or not; a JVM shutdown hook closes it when the build is killed in between
 * (Ctrl-C during a long migration), so that no embedded server or container outlives the build.
 * Closing is idempotent because both may do it.
 */
final class CodegenSession implements AutoCloseable {

    private final DatabaseServer server;
    private final ScratchDatabase database;
    private final Thread shutdownHook;
    private boolean closed;

    CodegenSession(DatabaseServer server, ScratchDatabase database) {
        this.server = server;
        this.database = database;
        this.shutdownHook = new Thread(this::closeAfterInterruptedBuild, "sqlkit-codegen-release");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    DatabaseServer server() {
        return server;
    }

    ScratchDatabase database() {
        return database;
    }

    /** The build stopped before generation finished: clean up, and say so in one line if that fails too. */
    private void closeAfterInterruptedBuild() {
        try {
            close();
        } catch (Throwable e) {
            System.err.println("sqlkit-codegen: could not release " + database.name() + " on " + server.description()
                    + " after the interrupted build: " + e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs and finds this session closed
            }
        }
        try (server) {
            database.close();
        }
    }
}
