/**
 * The sqlkit data-access library.
 *
 * <p>The jOOQ classes generated from the migrations live in {@code dev.sqlkit.db} ({@code Tables},
 * {@code Keys}, {@code tables.*}, {@code tables.records.*}, {@code enums.*}); they are public API,
 * so importing projects can write their own type-safe queries.
 */
package dev.sqlkit.dal;
