package dev.sqlkit.server.http;

import static dev.sqlkit.server.http.HttpProblem.orNotFound;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.NewUser;
import dev.sqlkit.dal.User;
import dev.sqlkit.dal.UserUpdate;
import dev.sqlkit.dal.UserWithPosts;

/** {@code /users}; an org's members are under {@code /orgs/{id}/members}. */
final class UserService implements HttpService {

    /** The rest of the path, any character included (Helidon's {+email} would stop at line terminators). */
    private static final String BY_EMAIL = "/by-email/{email:(?s:.+)}";

    private final Dal dal;
    private final Writes writes;

    UserService(Dal dal) {
        this.dal = dal;
        this.writes = new Writes(dal);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .any("/", Problems.methodNotAllowed("POST"))
                .get(BY_EMAIL, this::getByEmail)
                .any(BY_EMAIL, Problems.methodNotAllowed("GET"))
                .get("/{id}/posts", this::posts)
                .any("/{id}/posts", Problems.methodNotAllowed("GET"))
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete)
                .any("/{id}", Problems.methodNotAllowed("GET, PUT, DELETE"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonIn body = JsonIn.object(req, "email", "name", "role", "org_id");
        NewUser user = new NewUser(body.requiredString("email"), body.optionalString("name"),
                body.optionalRole("role"), body.optionalId("org_id"));
        writes.apply(req, res, body, repositories -> {
            User created = repositories.users().create(user);
            return JsonOut.reply(Status.CREATED_201, "/users/" + created.id(), created, JsonOut::user);
        });
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonOut.send(res, Status.OK_200, orNotFound(dal.users().findById(id), "user", id), JsonOut::user);
    }

    private void getByEmail(ServerRequest req, ServerResponse res) {
        String email = Params.path(req, "email");
        JsonOut.send(res, Status.OK_200, orNotFound(dal.users().findByEmail(email), "user", email), JsonOut::user);
    }

    /** Sets name and role; a role left out stays as it is, a name left out or null is cleared. */
    private void update(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonIn body = JsonIn.object(req, "name", "role");
        UserUpdate update = new UserUpdate(body.optionalString("name"), body.optionalRole("role"));
        writes.apply(req, res, body, repositories -> JsonOut.reply(Status.OK_200, null, repositories.users().update(id, update), JsonOut::user));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        writes.apply(req, res, null, repositories -> {
            repositories.users().delete(id);
            return Writes.noContent();
        });
    }

    /** {@code {"items":[...]}}: every post of the user, not paged. */
    private void posts(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        UserWithPosts found = orNotFound(dal.users().findWithPosts(id), "user", id);
        JsonOut.send(res, Status.OK_200, found, (json, user) -> json.begin().field("items", user.posts(), JsonOut::post).end());
    }
}
