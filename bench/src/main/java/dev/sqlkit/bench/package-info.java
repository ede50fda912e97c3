/**
 * JMH benchmarks of the dal against hand-written JDBC over the same HikariCP pool. Not API; built
 * into {@code bench/target/benchmarks.jar} and run from there (see the README).
 */
package dev.sqlkit.bench;
