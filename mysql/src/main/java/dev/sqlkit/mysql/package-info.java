/**
 * Everything sqlkit knows about reaching a MySQL-family server, in one place and in plain Java (no
 * Maven, no HTTP types), shared by code generation, the dal, the server, the tests and the benchmarks.
 *
 * <ul>
 * <li>{@link dev.sqlkit.mysql.MysqlUrl}: the one parser of database addresses, both
 * {@code jdbc:mysql://} and {@code mysql://user:pass@host/db}, with several hosts, and masking.</li>
 * <li>{@link dev.sqlkit.mysql.ConnectorJ}: the driver and the settings a pooled service gives it.</li>
 * <li>{@link dev.sqlkit.mysql.ServerVersion}: MySQL or MariaDB, and which version.</li>
 * <li>{@link dev.sqlkit.mysql.EmbeddedMariaDb}: the one class that starts a MariaDB, throw-away or
 * persistent.</li>
 * <li>{@link dev.sqlkit.mysql.DatabaseServers#start}: a server for a build or a test run, chosen in this
 * order: an explicitly configured URL ({@code sqlkit.db.url} / {@code SQLKIT_DB_URL}), Testcontainers
 * MySQL when a Docker engine is reachable, else an embedded MariaDB. Each caller then creates its own
 * {@link dev.sqlkit.mysql.ScratchDatabase} there, so nothing a build or a test does touches a
 * database somebody else uses.</li>
 * </ul>
 * Failures are {@link dev.sqlkit.mysql.MysqlSetupException}s whose messages name the setting and the fix.
 */
package dev.sqlkit.mysql;
