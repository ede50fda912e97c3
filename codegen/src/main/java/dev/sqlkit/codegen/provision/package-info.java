/**
 * Provisioning of throw-away MySQL-family databases, for code generation and for tests.
 *
 * <p>{@link dev.sqlkit.codegen.provision.DatabaseServers#start} picks, in this order: an explicitly
 * configured JDBC URL ({@code sqlkit.db.url} / {@code SQLKIT_DB_URL}), Testcontainers MySQL when a
 * Docker engine is reachable, else an embedded MariaDB started in-process. Each caller then creates
 * its own {@link dev.sqlkit.codegen.provision.ScratchDatabase} on that server, so that nothing a
 * build or a test does touches a database somebody else uses. Plain Java, no Maven types.
 */
package dev.sqlkit.codegen.provision;
