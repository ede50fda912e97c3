package dev.sqlkit.server.http;

import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.HttpRouting;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.server.observe.RequestMetrics;

/**
 * The API's one routing entry point: filters, canonical resources, the drop-in routes of the
 * replaced services, and the mapping of failures to responses. There is no catch-all route: it
 * would shadow the routes that features (observe, OpenAPI) add later; unmatched requests raise
 * Helidon's NotFoundException, which {@link Problems} answers.
 */
public final class Api {

    private Api() {
    }

    /**
     * Every route of the API over {@code dal}. Request metrics come first, so that they time the
     * requests the write check turns away too.
     *
     * @param version reported by the legacy {@code GET /api/info}
     * @param accessLog whether every request is also logged, one line ({@code server.access-log})
     */
    public static void routing(HttpRouting.Builder routing, Dal dal, String version, WriteAuthorization writes,
                               boolean accessLog) {
        routing.addFilter(new RequestMetrics(Metrics.globalRegistry(), accessLog))
                .addFilter(writes)
                .register("/orgs", new OrgService(dal))
                .register("/posts", new PostService(dal, JsonOut::post))
                .register("/users", new UserService(dal))
                .register("/api", new LegacyOrgApi(dal, version))
                .register("/", new LegacyPostApi(dal));
        ApiDocs.register(routing);
        Problems.register(routing);
    }
}
