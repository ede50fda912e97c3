package dev.sqlkit.server.http;

import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.Org;
import dev.sqlkit.dal.Page;
import dev.sqlkit.dal.PageRequest;

/**
 * The routes of the organisations API this server replaces, under {@code /api}, so that its clients
 * keep working: same requests, same success bodies; errors are problem documents with real status
 * codes. Where the original behaved as {@code /orgs} does, {@link OrgService}'s handler answers. As
 * in the original, {@code GET /api/org/list} is the list, so an org named "list" is only reachable
 * by name through {@code /orgs/by-name/list}.
 */
final class LegacyOrgApi implements HttpService {

    private final Dal dal;
    private final String version;
    private final OrgService orgRoutes;

    LegacyOrgApi(Dal dal, String version) {
        this.dal = dal;
        this.version = version;
        this.orgRoutes = new OrgService(dal);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/info", this::info)
                .any("/info", Problems.methodNotAllowed("GET"))
                .get("/org/list", this::list)
                .any("/org/list", Problems.methodNotAllowed("GET"))
                .post("/org", orgRoutes::create)
                .put("/org", this::update)
                .any("/org", Problems.methodNotAllowed("POST, PUT"))
                .get("/org/{name}", orgRoutes::getByName)
                .delete("/org/{id}", this::delete)
                .any("/org/{name}", Problems.methodNotAllowed("GET, DELETE"));
    }

    private void info(ServerRequest req, ServerResponse res) {
        JsonOut.send(res, Status.OK_200, dal.dialect().getName(), (json, database) -> json.begin()
                .field("name", "sqlkit")
                .field("version", version)
                .field("database", database)
                .end());
    }

    /** Every org, in id order, as one array (read a page at a time underneath). */
    private void list(ServerRequest req, ServerResponse res) {
        List<Org> orgs = new ArrayList<>();
        for (PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT); request != null; ) {
            Page<Org> page = dal.orgs().list(request);
            orgs.addAll(page.items());
            request = request.next(page);
        }
        JsonOut.sendArray(res, orgs, JsonOut::org);
    }

    /** The original took the whole org, id included; created_at is accepted and ignored. */
    private void update(ServerRequest req, ServerResponse res) {
        JsonIn body = JsonIn.object(req, "id", "name", "description", "url", "created_at");
        orgRoutes.update(req, res, body, body.requiredId("id"), OrgService.orgUpdate(body));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        orgRoutes.delete(req, res, Params.positiveId(Params.path(req, "id")));
    }
}
