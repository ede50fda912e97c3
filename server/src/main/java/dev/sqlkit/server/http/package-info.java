/**
 * The REST API over the dal: {@link dev.sqlkit.server.http.Api#routing} is its one entry point, with
 * one {@code HttpService} per resource (and one per replaced legacy API) whose handlers parse and
 * validate the request ({@code JsonIn}, {@code Params}), call the dal and write the response
 * ({@code JsonOut}). Transactions and SQL stay in the dal; failures of every kind become problem
 * documents in one place ({@code Problems}). Only {@code Api}, {@code Problems} and
 * {@code WriteAuthorization} are public, for the server to wire; the rest is package-private so that
 * the handlers can change without anyone outside depending on them.
 */
package dev.sqlkit.server.http;
