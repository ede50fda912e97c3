package dev.sqlkit.cluster;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** HTTP/1.1 over real sockets to a server instance, with a bound on every request. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Http() {
    }

    /** A response as the client saw it. */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {

        JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        boolean isServerError() {
            return status >= 500;
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    static Reply get(URI uri, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
    }

    static Reply get(URI uri) throws IOException, InterruptedException {
        return get(uri, TIMEOUT);
    }

    /** {@code method uri} with a JSON body (or none when {@code json} is null) and header name/value pairs. */
    static Reply send(String method, URI uri, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    /** A JSON object from name/value pairs (strings, booleans, numbers). */
    static String json(Object... namesAndValues) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            switch (namesAndValues[i + 1]) {
                case String text -> object.add(name, text);
                case Boolean flag -> object.add(name, flag);
                case Long number -> object.add(name, number);
                case Integer number -> object.add(name, number);
                default -> throw new IllegalArgumentException("unsupported value for " + name);
            }
        }
        return object.build().toString();
    }

    /**
     * The sum of every series of a Prometheus counter at {@code /observe/metrics}, e.g.
     * {@code db_retries_total} over all causes.
     */
    static double counter(ServerProcess instance, String name) throws IOException, InterruptedException {
        Reply metrics = get(instance.uri("/observe/metrics"));
        if (metrics.status() != 200) {
            throw new AssertionError("metrics of " + instance + ": " + metrics);
        }
        return metrics.body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
