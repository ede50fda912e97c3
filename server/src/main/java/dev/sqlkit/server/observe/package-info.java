/**
 * What the server reports about itself at {@code /observe}: health (alive, and ready while the
 * database answers), request metrics per route template, and the connection pool's gauges. Kept
 * apart from the API so that the measurements and their lifecycles (the pool gauges end with their
 * server) do not mix with request handling.
 */
package dev.sqlkit.server.observe;
