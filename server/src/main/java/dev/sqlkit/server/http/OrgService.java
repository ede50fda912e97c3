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

    OrgService(Dal dal) {
        this.dal = dal;
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
        Org org = dal.orgs().create(newOrg(JsonIn.object(req, FIELDS)));
        JsonOut.sendCreated(res, "/orgs/" + org.id(), org, JsonOut::org);
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
        Org org = dal.orgs().update(id, orgUpdate(JsonIn.object(req, FIELDS)));
        JsonOut.send(res, Status.OK_200, org, JsonOut::org);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        dal.orgs().delete(Params.id(req));
        res.status(Status.NO_CONTENT_204).send();
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
