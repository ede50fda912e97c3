/**
 * What the build and the dal share about migrations themselves, in plain Java:
 *
 * <ul>
 * <li>{@link dev.sqlkit.mysql.schema.SchemaSnapshot}: a database's tables, columns, indexes and keys as
 * {@code information_schema} tells them, normalized so that MariaDB 10.11, 11.4 and MySQL 8 agree; its
 * differences (for the build's undo checks) and its SQL text (the committed {@code db/schema.sql}).</li>
 * <li>{@link dev.sqlkit.mysql.schema.SqlScript}: a script's statements, each with its line.</li>
 * <li>{@link dev.sqlkit.mysql.schema.UndoScripts}: the naming of undo scripts ({@code U<n>} beside
 * {@code V<n>}), and Flyway's view of the migrations without them (needs Flyway on the classpath).</li>
 * </ul>
 */
package dev.sqlkit.mysql.schema;
