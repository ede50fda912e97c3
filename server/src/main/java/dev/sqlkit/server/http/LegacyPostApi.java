package dev.sqlkit.server.http;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.NewPost;
import dev.sqlkit.dal.Post;

/**
 * The routes of the blog-post API this server replaces: posts as {@code {id, title, body, published}},
 * {@code PATCH /post/{id}} publishes, and {@code GET /count-post} answers the text
 * {@code Have N posts} with the exact number of published posts.
 */
final class LegacyPostApi implements HttpService {

    private final Dal dal;
    private final Writes writes;
    /** Where the replaced API behaved as {@code /posts} does, apart from the shape of a post. */
    private final PostService postRoutes;

    LegacyPostApi(Dal dal) {
        this.dal = dal;
        this.writes = new Writes(dal);
        this.postRoutes = new PostService(dal, LegacyPostApi::legacy);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/post", this::create)
                .any("/post", Problems.methodNotAllowed("POST"))
                .get("/post/{id}", postRoutes::get)
                .patch("/post/{id}", postRoutes::publish)
                .delete("/post/{id}", postRoutes::delete)
                .any("/post/{id}", Problems.methodNotAllowed("GET, PATCH, DELETE"))
                .get("/count-post", this::count)
                .any("/count-post", Problems.methodNotAllowed("GET"));
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonIn body = JsonIn.object(req, "title", "body", "published");
        NewPost post = new NewPost(body.requiredString("title"), body.requiredString("body"),
                body.optionalBoolean("published", false), null);
        writes.apply(req, res, body, repositories -> PostService.created(repositories.posts().create(post), LegacyPostApi::legacy));
    }

    private void count(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
        res.send(("Have " + dal.posts().countPublished() + " posts").getBytes(StandardCharsets.UTF_8));
    }

    /** The original's post: no author, no timestamp. */
    private static void legacy(JsonOut json, Post post) {
        json.begin()
                .field("id", post.id())
                .field("title", post.title())
                .field("body", post.body())
                .field("published", post.isPublished())
                .end();
    }
}
