package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;

import dev.sqlkit.dal.testing.TestDatabase;

/**
 * The real server (the same {@link SqlkitServer#start} as production, application.yaml included)
 * on a random port over a test class's database, and an HTTP client talking to it over a socket.
 */
final class RunningServer implements AutoCloseable {

    private final SqlkitServer server;
    private final Http1Client client;
    private final String base;

    private RunningServer(SqlkitServer server) {
        this.server = server;
        this.base = "http://localhost:" + server.port();
        this.client = Http1Client.builder()
                .baseUri(base)
                .build();
    }

    static RunningServer on(TestDatabase database) {
        return on(database, Map.of());
    }

    static RunningServer on(TestDatabase database, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("database.url", database.jdbcUrl());
        settings.put("database.user", database.user() == null ? "" : database.user());
        settings.put("database.password", database.password() == null ? "" : database.password());
        settings.put("database.pool.size", "4");
        settings.putAll(overrides);
        return of(SqlkitServer.start(config(settings)));
    }

    static RunningServer of(SqlkitServer server) {
        return new RunningServer(server);
    }

    static Config config(Map<String, String> settings) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"))
                .build();
    }

    Http1Client client() {
        return client;
    }

    SqlkitServer server() {
        return server;
    }

    /** A response read completely, so tests can assert on status, headers and body at leisure. */
    record Reply(int status, String contentType, String location, String allow, String body) {

        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        /** The {@code id} of the JSON object in the body, as a created or found resource has one. */
        long id() {
            return json().getJsonNumber("id").longValue();
        }
    }

    /** Paths are sent as written: already percent-encoded where needed, query string included. */
    Http1ClientRequest request(Method method, String path) {
        return client.method(method).skipUriEncoding(true).uri(URI.create(base + path));
    }

    Reply get(String path) {
        return read(request(Method.GET, path).request());
    }

    Reply delete(String path) {
        return read(request(Method.DELETE, path).request());
    }

    Reply post(String path, String json) {
        return read(request(Method.POST, path).contentType(MediaTypes.APPLICATION_JSON).submit(json));
    }

    /** A POST that must create: the test fails, showing the body, unless the status is 201. */
    Reply postCreated(String path, String json) {
        Reply reply = post(path, json);
        assertEquals(201, reply.status(), reply.body());
        return reply;
    }

    Reply put(String path, String json) {
        return read(request(Method.PUT, path).contentType(MediaTypes.APPLICATION_JSON).submit(json));
    }

    Reply patch(String path) {
        return read(request(Method.PATCH, path).request());
    }

    static Reply read(Http1ClientResponse response) {
        try (response) {
            return new Reply(response.status().code(),
                    response.headers().contentType().map(type -> type.text()).orElse(null),
                    response.headers().first(io.helidon.http.HeaderNames.LOCATION).orElse(null),
                    response.headers().first(io.helidon.http.HeaderNames.ALLOW).orElse(null),
                    response.entity().hasEntity() ? response.as(String.class) : "");
        }
    }

    @Override
    public void close() {
        client.closeResource();
        server.close();
    }
}
