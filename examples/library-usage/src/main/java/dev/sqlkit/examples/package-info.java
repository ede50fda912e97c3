/** An application that uses the sqlkit dal as an ordinary dependency: repositories plus its own jOOQ queries. */
package dev.sqlkit.examples;
