package dev.sqlkit.server.http;

import static dev.sqlkit.server.http.HttpProblem.orNotFound;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.NewPost;
import dev.sqlkit.dal.Post;
import dev.sqlkit.dal.PostUpdate;
import dev.sqlkit.dal.Reply;

/**
 * {@code /posts}. Publishing is an action on a post: {@code POST /posts/{id}/publish}. The legacy
 * {@code /post/{id}} routes reuse its handlers with the replaced API's shape of a post.
 */
final class PostService implements HttpService {

    private final Dal dal;
    private final Writes writes;
    private final JsonOut.Shape<Post> shape;

    /** @param shape how a post is written: {@link JsonOut#post}, or the replaced API's shape */
    PostService(Dal dal, JsonOut.Shape<Post> shape) {
        this.dal = dal;
        this.writes = new Writes(dal);
        this.shape = shape;
    }

    @Override
    public void routing(HttpRules rules) {
        // Routes are tried in this order, each path pattern with a parameter by a regular expression.
        // One post by id comes right after the exact "/", so that GET /posts/{id}, the hot path, is
        // not first tried against "/{id}/publish"; "{id}" matches one segment only, so it takes
        // nothing from the routes after it.
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", Problems.methodNotAllowed("GET, POST"))
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete)
                .any("/{id}", Problems.methodNotAllowed("GET, PUT, DELETE"))
                .get("/published/count", this::countPublished)
                .any("/published/count", Problems.methodNotAllowed("GET"))
                .post("/{id}/publish", this::publish)
                .any("/{id}/publish", Problems.methodNotAllowed("POST"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonOut.sendPage(res, dal.posts().list(Params.published(req), Params.page(req)), shape);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonIn body = JsonIn.object(req, "title", "body", "published", "author_id");
        NewPost post = new NewPost(body.requiredString("title"), body.requiredString("body"),
                body.optionalBoolean("published", false), body.optionalId("author_id"));
        writes.apply(req, res, body, repositories -> created(repositories.posts().create(post), shape));
    }

    /** A post just created, as {@code 201 Created} with its address; also the legacy {@code POST /post}'s answer. */
    static Reply created(Post post, JsonOut.Shape<Post> shape) {
        return JsonOut.reply(Status.CREATED_201, "/posts/" + post.id(), post, shape);
    }

    /**
     * The benchmarked hot path: nothing here beyond parsing the id, one query and writing the bytes.
     * Also the legacy {@code GET /post/{id}}.
     */
    void get(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonOut.send(res, Status.OK_200, orNotFound(dal.posts().findById(id), "post", id), shape);
    }

    /** Also the legacy {@code PATCH /post/{id}}. */
    void publish(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        writes.apply(req, res, null, repositories -> JsonOut.reply(Status.OK_200, null, repositories.posts().publish(id), shape));
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        JsonIn body = JsonIn.object(req, "title", "body");
        PostUpdate update = new PostUpdate(body.requiredString("title"), body.requiredString("body"));
        writes.apply(req, res, body, repositories -> JsonOut.reply(Status.OK_200, null, repositories.posts().update(id, update), shape));
    }

    /** Also the legacy {@code DELETE /post/{id}}, which answered the same. */
    void delete(ServerRequest req, ServerResponse res) {
        long id = Params.id(req);
        writes.apply(req, res, null, repositories -> {
            repositories.posts().delete(id);
            return Writes.noContent();
        });
    }

    private void countPublished(ServerRequest req, ServerResponse res) {
        JsonOut.send(res, Status.OK_200, dal.posts().countPublished(), (json, count) -> json.begin().field("count", count).end());
    }
}
