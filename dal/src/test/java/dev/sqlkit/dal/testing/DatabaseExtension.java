package dev.sqlkit.dal.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.mysql.DatabaseServer;
import dev.sqlkit.mysql.DatabaseServers;
import dev.sqlkit.mysql.ProvisionSettings;

/**
 * A migrated database of its own for each test class, on the server this machine offers: the one
 * named by {@code sqlkit.db.url} / {@code SQLKIT_DB_URL}, else Testcontainers MySQL where Docker
 * runs, else an embedded MariaDB. The server is started once per test JVM; each class gets a fresh
 * scratch database, migrated from the schema jar, which is dropped after the class.
 *
 * <p>Test constructors, lifecycle methods and test methods can declare parameters of type
 * {@link TestDatabase}, {@link Dal}, {@link DataSource} or {@link DSLContext}.
 */
public final class DatabaseExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DatabaseExtension.class);

    /**
     * JUnit closes the database with the class's context, after its afterAll callbacks: store values
     * that are AutoCloseable are closed in the inverse order they were stored, so whatever an
     * extension built on it later (a server, a pool) is closed before it.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(TestDatabase.class, TestDatabase.migrated(server(context)));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabase.class || type == Dal.class || type == DataSource.class || type == DSLContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDatabase database = database(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Dal.class) {
            return database.dal();
        }
        if (type == DataSource.class) {
            return database.dataSource();
        }
        if (type == DSLContext.class) {
            return database.dal().dsl();
        }
        return database;
    }

    /**
     * The database of the test class {@code context} belongs to, for extensions that build on it. A
     * store lookup falls back to the enclosing contexts' stores, so a method's context finds its class's.
     */
    public static TestDatabase database(ExtensionContext context) {
        TestDatabase database = context.getStore(NAMESPACE).get(TestDatabase.class, TestDatabase.class);
        if (database == null) {
            throw new IllegalStateException("DatabaseExtension must be registered on the test class");
        }
        return database;
    }

    /** The server shared by every test class of this JVM, stopped when the test run ends. */
    private static DatabaseServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedServer.class, key -> SharedServer.start(), SharedServer.class)
                .server();
    }

    // Both interfaces: JUnit 5.13 closes AutoCloseable store values, older 5.x only CloseableResource.
    @SuppressWarnings("deprecation")
    private record SharedServer(DatabaseServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static SharedServer start() {
            // One directory per JVM: surefire and failsafe, or two builds, may run at the same time.
            Path workDir;
            try {
                Files.createDirectories(Path.of("target"));
                workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "sqlkit-test-db-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ProvisionSettings settings = ProvisionSettings.from(System::getProperty, workDir);
            return new SharedServer(DatabaseServers.start(settings, line -> System.out.println("[sqlkit-test] " + line)));
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
