package dev.sqlkit.server.http;

import io.helidon.webserver.http.HttpRouting;

import dev.sqlkit.dal.Dal;

/**
 * The API: canonical resources and the drop-in routes of the replaced services. There is no
 * catch-all route: it would shadow the routes that features (observe, OpenAPI) add later;
 * unmatched requests raise Helidon's NotFoundException, which {@link Problems} answers.
 */
public final class Routes {

    private Routes() {
    }

    public static void register(HttpRouting.Builder routing, Dal dal, String version, RequestMetrics metrics,
            WriteAuthorization writes) {
        routing.addFilter(metrics)
                .addFilter(writes)
                .register("/orgs", new OrgService(dal))
                .register("/posts", new PostService(dal))
                .register("/users", new UserService(dal))
                .register("/api", new LegacyOrgApi(dal, version))
                .register("/", new LegacyPostApi(dal));
        Problems.register(routing);
    }
}
