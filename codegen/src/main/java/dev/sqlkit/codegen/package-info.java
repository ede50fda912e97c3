/**
 * The Maven goal {@code sqlkit-codegen:generate}: jOOQ classes from a really migrated database,
 * and no database at all when nothing changed. See {@link dev.sqlkit.codegen.GenerateMojo}.
 */
package dev.sqlkit.codegen;
