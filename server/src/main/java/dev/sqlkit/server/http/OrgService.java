package dev.sqlkit.server.http;

import static dev.sqlkit.server.http.HttpProblem.orNotFound;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.NewOrg;
import dev.sqlkit.dal.Org;
import dev.sqlkit.dal.OrgUpdate;

/**
 * {@code /orgs}. Lookup by name lives under {@code /orgs/by-name/{name}}, so that no name (not even
 * "list" or "42") can be mistaken for an id or another route.
 */
final class OrgService implements HttpService {

    private static final String[] FIELDS = {"name", "description", "url"};
    /**
     * The rest of the path, so that a name may contain '/'. Not Helidon's {+name}: that is the
     * regular expression ".+", whose '.' stops at line terminators, and a name may hold any of them.
     */
    private static final String BY_NAME = "/by-name/{name:(?s:.+)}";

    private final Dal dal;
    private final Writes writes;

    OrgService(Dal dal) {
        this.dal = dal;
        this.writes = new Writes(dal);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", Problems.methodNotAllowed("GET, POST"))
                .get(BY_NAME, this::getByName)
                .any(BY_NAME, Problems.methodNotAllowed("GET"))
                .get("/{id}/members", this::members)
                .any("/{id}/members", Problems.methodNotAllowed("GET"))
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete)
                .any("/{id}", Problems.methodNotAllowed("GET, PUT, DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonOut.sendPage(res, dal.orgs().list(Params.page(req)), JsonOut::org);
    }

    /** Also the legacy {@code POST /api/org}, which took the same fields and answered the same. */
    void create(ServerRequest req, ServerResponse res) {
        JsonIn body = JsonIn.object(req, FIELDS);
        NewOrg org = newOrg(body);
        writes.apply(req, res, body, repositories -> {
            Org created = repositories.orgs().create(org);
            return JsonOut.reply(Status.CREATED_201, "/orgs/" + created.id(), created, JsonOut::org);
        });
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonOut.send(res, Status.OK_200, orNotFound(dal.orgs().findById(id), "org", id), JsonOut::org);
    }

    /** Also the legacy {@code GET /api/org/{name}}. */
    void getByName(ServerRequest req, ServerResponse res) {
        String name = Params.path(req, "name");
        JsonOut.send(res, Status.OK_200, orNotFound(dal.orgs().findByName(name), "org", name), JsonOut::org);
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonIn body = JsonIn.object(req, FIELDS);
        update(req, res, body, id, orgUpdate(body));
    }

    /** Also the legacy {@code PUT /api/org}, which names the org in the body. */
    void update(ServerRequest req, ServerResponse res, JsonIn body, long id, OrgUpdate update) {
        writes.apply(req, res, body, repositories -> JsonOut.reply(Status.OK_200, null, repositories.orgs().update(id, update), JsonOut::org));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        delete(req, res, Params.id(req));
    }

    /** Also the legacy {@code DELETE /api/org/{id}}, whose id is checked its own way. */
    void delete(ServerRequest req, ServerResponse res, long id) {
        writes.apply(req, res, null, repositories -> {
            repositories.orgs().delete(id);
            return Writes.noContent();
        });
    }

    private void members(ServerRequest req, ServerResponse res) {
        JsonOut.sendPage(res, dal.users().membersOf(Params.id(req), Params.page(req)), JsonOut::user);
    }

    static NewOrg newOrg(JsonIn body) {
        return new NewOrg(body.requiredString("name"), body.requiredString("description"), body.optionalString("url"));
    }

    static OrgUpdate orgUpdate(JsonIn body) {
        return new OrgUpdate(body.requiredString("name"), body.requiredString("description"), body.optionalString("url"));
    }
}
