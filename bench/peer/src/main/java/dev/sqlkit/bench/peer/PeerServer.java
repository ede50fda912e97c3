package dev.sqlkit.bench.peer;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The benchmark's peer: what a team that wants the fastest JVM service would write by hand for the
 * three benchmarked requests, on Vert.x 5 and its non-blocking MySQL client. One prepared statement
 * per request (cached per connection, binary protocol), a pool of 16 connections, no pipelining,
 * an HTTP server on every core, JSON written straight into a buffer. It answers with the same
 * status, Location and JSON bytes as sqlkit's server for:
 *
 * <ul>
 * <li>{@code GET /posts/{id}}</li>
 * <li>{@code POST /posts} with {@code {"title", "body", "published"}}</li>
 * <li>{@code GET /posts?published=true|false&limit=n&after=id} (a keyset page)</li>
 * </ul>
 *
 * <p>Nothing else: no validation beyond what keeps it from answering wrongly, no metrics, no
 * migrations (it runs on the schema the server made). Settings: PORT, DB_HOST, DB_PORT, DB_USER,
 * DB_PASSWORD, DB_NAME, POOL_SIZE.
 */
public final class PeerServer {

    private static final String COLUMNS = "id, title, body, published, author_id, created_at";

    private final PreparedQuery<RowSet<Row>> byId;
    private final PreparedQuery<RowSet<Row>> insert;
    private final PreparedQuery<RowSet<Row>> pageAfter;

    private PeerServer(Pool pool) {
        this.byId = pool.preparedQuery("SELECT " + COLUMNS + " FROM posts WHERE id = ?");
        // MariaDB's INSERT ... RETURNING: one round trip, as the server's dal does on MariaDB.
        this.insert = pool.preparedQuery("INSERT INTO posts (title, body, published) VALUES (?, ?, ?) RETURNING " + COLUMNS);
        this.pageAfter = pool.preparedQuery("SELECT " + COLUMNS + " FROM posts WHERE published = ? AND id > ? ORDER BY id LIMIT ?");
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(env("PORT", "18090"));
        Vertx vertx = Vertx.vertx();
        MySQLConnectOptions database = new MySQLConnectOptions()
                .setHost(env("DB_HOST", "127.0.0.1"))
                .setPort(Integer.parseInt(env("DB_PORT", "3306")))
                .setUser(env("DB_USER", "root"))
                .setPassword(env("DB_PASSWORD", ""))
                .setDatabase(env("DB_NAME", "sqlkit_bench_http"))
                .setCachePreparedStatements(true);
        Pool pool = MySQLBuilder.pool()
                .with(new PoolOptions().setMaxSize(Integer.parseInt(env("POOL_SIZE", "16"))))
                .connectingTo(database)
                .using(vertx)
                .build();
        PeerServer peer = new PeerServer(pool);
        int loops = Runtime.getRuntime().availableProcessors();
        // Outside a verticle each listen() takes an event loop of its own; together they share the port.
        for (int i = 0; i < loops; i++) {
            vertx.createHttpServer().requestHandler(peer::handle).listen(port).await();
        }
        System.out.println("peer: listening on http://127.0.0.1:" + port + " with " + loops + " event loops");
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith("/posts/") && request.method() == HttpMethod.GET) {
            long id;
            try {
                id = Long.parseLong(path, "/posts/".length(), path.length(), 10);
            } catch (NumberFormatException e) {
                problem(request, 400, "bad id");
                return;
            }
            answer(request, byId.execute(Tuple.of(id)), rows -> rows.size() == 0 ? null : post(new Json(256), rows.iterator().next()), 200);
        } else if (path.equals("/posts") && request.method() == HttpMethod.GET) {
            MultiMap query = request.params();
            int limit = Integer.parseInt(query.get("limit") == null ? "50" : query.get("limit"));
            long after = Long.parseLong(query.get("after") == null ? "0" : query.get("after"));
            boolean published = Boolean.parseBoolean(query.get("published"));
            answer(request, pageAfter.execute(Tuple.of(published, after, limit + 1)), rows -> page(rows, limit), 200);
        } else if (path.equals("/posts") && request.method() == HttpMethod.POST) {
            request.body().onSuccess(body -> create(request, body)).onFailure(e -> problem(request, 400, "no body"));
        } else {
            problem(request, 404, "no route");
        }
    }

    private void create(HttpServerRequest request, Buffer body) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException e) {
            problem(request, 400, "malformed JSON");
            return;
        }
        if (!(json.getValue("title") instanceof String title) || !(json.getValue("body") instanceof String text)) {
            problem(request, 400, "title and body are required strings");
            return;
        }
        boolean published = Boolean.TRUE.equals(json.getValue("published"));
        insert.execute(Tuple.of(title, text, published)).onComplete(done -> {
            if (done.failed()) {
                problem(request, 500, done.cause().getMessage());
                return;
            }
            Row row = done.result().iterator().next();
            request.response()
                    .setStatusCode(201)
                    .putHeader(HttpHeaders.LOCATION, "/posts/" + row.getLong(0))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(post(new Json(256), row).buffer);
        });
    }

    private interface Body {
        Json write(RowSet<Row> rows);
    }

    private static void answer(HttpServerRequest request, Future<RowSet<Row>> rows, Body body, int status) {
        rows.onComplete(done -> {
            if (done.failed()) {
                problem(request, 500, done.cause().getMessage());
                return;
            }
            Json json = body.write(done.result());
            if (json == null) {
                problem(request, 404, "not found");
                return;
            }
            request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json.buffer);
        });
    }

    /** {@code {"items":[...],"next_after":id|null}}, the next page's cursor when a row beyond this page came back. */
    private static Json page(RowSet<Row> rows, int limit) {
        Json json = new Json(256 * (limit + 1)).raw("{\"items\":[");
        int written = 0;
        long last = 0;
        for (Row row : rows) {
            if (written == limit) {
                break;
            }
            if (written++ > 0) {
                json.raw(",");
            }
            post(json, row);
            last = row.getLong(0);
        }
        return json.raw("],\"next_after\":").raw(rows.size() > limit ? Long.toString(last) : "null").raw("}");
    }

    /** A post exactly as the server writes it (field order, escapes, the instant's format). */
    private static Json post(Json json, Row row) {
        Long author = row.getLong(4);
        LocalDateTime created = row.getLocalDateTime(5);
        return json.raw("{\"id\":").raw(Long.toString(row.getLong(0)))
                .raw(",\"title\":").string(row.getString(1))
                .raw(",\"body\":").string(row.getString(2))
                .raw(",\"published\":").raw(row.getBoolean(3) ? "true" : "false")
                .raw(",\"author_id\":").raw(author == null ? "null" : author.toString())
                .raw(",\"created_at\":").raw(created == null ? "null" : "\"" + created.toInstant(ZoneOffset.UTC) + "\"")
                .raw("}");
    }

    private static void problem(HttpServerRequest request, int status, String detail) {
        Json json = new Json(128).raw("{\"status\":").raw(Integer.toString(status)).raw(",\"detail\":").string(detail).raw("}");
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(json.buffer);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** JSON text into a Vert.x buffer, escaped as the server escapes it (RFC 8259's minimum). */
    private static final class Json {

        /** What each ASCII character is written as, when not as itself. */
        private static final String[] ESCAPES = new String[128];

        static {
            for (char c = 0; c < 0x20; c++) {
                ESCAPES[c] = String.format("\\u%04x", (int) c);
            }
            ESCAPES['\n'] = "\\n";
            ESCAPES['\r'] = "\\r";
            ESCAPES['\t'] = "\\t";
            ESCAPES['"'] = "\\\"";
            ESCAPES['\\'] = "\\\\";
        }

        final Buffer buffer;

        Json(int capacity) {
            buffer = Buffer.buffer(capacity);
        }

        Json raw(String ascii) {
            buffer.appendString(ascii);
            return this;
        }

        Json string(String value) {
            if (value == null) {
                return raw("null");
            }
            StringBuilder text = new StringBuilder(value.length() + 2).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                String escape = c < ESCAPES.length ? ESCAPES[c] : null;
                if (escape != null) {
                    text.append(escape);
                } else {
                    text.append(c);
                }
            }
            buffer.appendString(text.append('"').toString());
            return this;
        }
    }
}
