/**
 * The Maven goals that bracket Flyway and jOOQ code generation: {@code provision} and
 * {@code release}. See the dal module's pom for how they are bound.
 */
package dev.sqlkit.codegen;
