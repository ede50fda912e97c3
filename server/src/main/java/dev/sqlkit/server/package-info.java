/**
 * The sqlkit server as a process: {@link dev.sqlkit.server.Main} reads the configuration and starts
 * a {@link dev.sqlkit.server.SqlkitServer}, which opens the database, migrates it, and starts the
 * web server with the routes of {@link dev.sqlkit.server.http.Api#routing}; closing it stops them in
 * the reverse order. Nothing here handles a request: that is {@code http}'s job, so that wiring and
 * lifecycle can be read in one place and the API in another.
 */
package dev.sqlkit.server;
