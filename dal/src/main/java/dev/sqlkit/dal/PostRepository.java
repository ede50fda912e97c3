package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.POSTS;
import static org.jooq.Functions.nullOnAllNull;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.val;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertSetMoreStep;
import org.jooq.Row6;
import org.jooq.SelectField;

import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;
import dev.sqlkit.dal.internal.RenderedOnce;
import dev.sqlkit.db.tables.records.PostsRecord;

/** Blog posts. Stateless; get it from {@link Dal#posts()} or {@link Transaction#posts()}. */
public final class PostRepository {

    /** A post's columns in the order of {@link Post}'s components: the one list every query reads. */
    private static final Row6<Long, String, String, Boolean, Long, Instant> COLUMNS =
            row(POSTS.ID, POSTS.TITLE, POSTS.BODY, POSTS.PUBLISHED, POSTS.AUTHOR_ID, POSTS.CREATED_AT);

    /**
     * A post as a nested record, for the create's read-back and {@link UserRepository#findWithPosts};
     * finds and pages select {@link #COLUMNS} flat ({@link Columns}). Built once: a query part needs
     * no rebuilding per call. All-NULL columns (the missing side of a LEFT JOIN) map to null, not to
     * a post; a stored post's id is never NULL.
     */
    static final SelectField<Post> POST = COLUMNS.mapping(nullOnAllNull(Post::new));

    /**
     * The benchmarked read (GET /posts/{id}): {@link #COLUMNS} by id, rendered once.
     */
    private static final RenderedOnce<Post> BY_ID = RenderedOnce.of(
            dsl -> Columns.select(dsl, COLUMNS).from(POSTS).where(POSTS.ID.eq(param("id", Long.class))),
            PostRepository::read);

    /**
     * A page ({@link #list}): all posts, the published ones, the unpublished ones; each from an id
     * on (0 for the first page: ids start at 1), at most a number of rows.
     */
    private static final RenderedOnce<Post> PAGE = page(noCondition());
    private static final RenderedOnce<Post> PAGE_PUBLISHED = page(POSTS.PUBLISHED.isTrue());
    private static final RenderedOnce<Post> PAGE_UNPUBLISHED = page(POSTS.PUBLISHED.isFalse());

    /**
     * The create on MariaDB ({@link #create}): one {@code INSERT ... RETURNING} of {@link #COLUMNS},
     * rendered once. Rendering it anew took a quarter of a POST /posts' CPU in the server.
     */
    private static final RenderedOnce<Post> INSERT_RETURNING = RenderedOnce.of(
            dsl -> insert(dsl, param("title", String.class), param("body", String.class),
                    param("published", Boolean.class), param("author_id", Long.class))
                    .returningResult(COLUMNS.fields()),
            PostRepository::read);

    private final Attempts attempts;

    /** @param attempts runs each call as a unit, on a context that translates errors */
    PostRepository(Attempts attempts) {
        this.attempts = attempts;
    }

    /** Creates a post. @throws InvalidInputException if {@code authorId} names no user */
    public Post create(NewPost post) {
        if (post == null) {
            throw new InvalidInputException("post", "is required");
        }
        String title = Inputs.required("title", post.title(), POSTS.TITLE);
        String body = Inputs.present("body", post.body(), POSTS.BODY);
        return attempts.insert(dsl -> Inserts.hasReturning(dsl)
                ? INSERT_RETURNING.fetchReturned(dsl, title, body, post.isPublished(), post.authorId())
                : Inserts.returning(dsl, insert(dsl, val(title), val(body), val(post.isPublished()), val(post.authorId(), Long.class))
                        .returningResult(POST)));
    }

    private static InsertSetMoreStep<PostsRecord> insert(DSLContext dsl, Field<String> title, Field<String> body,
                                                         Field<Boolean> published, Field<Long> authorId) {
        return dsl.insertInto(POSTS)
                .set(POSTS.TITLE, title)
                .set(POSTS.BODY, body)
                .set(POSTS.PUBLISHED, published)
                .set(POSTS.AUTHOR_ID, authorId);
    }

    public Optional<Post> findById(long id) {
        return attempts.statement(dsl -> findById(dsl, id));
    }

    private static Optional<Post> findById(DSLContext dsl, long id) {
        return BY_ID.fetchOptional(dsl, id);
    }

    /**
     * Marks a post published; publishing a published post changes nothing. Safe to race with other
     * publishes and with a delete: the single UPDATE cannot lose anyone's write, and the post read
     * back afterwards decides between the result and {@link NotFoundException}.
     */
    public Post publish(long id) {
        return attempts.transaction(dsl -> {
            dsl.update(POSTS)
                    .set(POSTS.PUBLISHED, true)
                    .where(POSTS.ID.eq(id))
                    .execute();
            return findById(dsl, id).orElseThrow(() -> new NotFoundException("post", id));
        });
    }

    /** Replaces title and body. @throws NotFoundException if there is no post with this id */
    public Post update(long id, PostUpdate update) {
        if (update == null) {
            throw new InvalidInputException("post", "is required");
        }
        String title = Inputs.required("title", update.title(), POSTS.TITLE);
        String body = Inputs.present("body", update.body(), POSTS.BODY);
        // The update and its read-back in one transaction: retried as a whole, and the post read
        // back is the one this update left.
        return attempts.transaction(dsl -> {
            dsl.update(POSTS)
                    .set(POSTS.TITLE, title)
                    .set(POSTS.BODY, body)
                    .where(POSTS.ID.eq(id))
                    .execute();
            return findById(dsl, id).orElseThrow(() -> new NotFoundException("post", id));
        });
    }

    /** @throws NotFoundException if there is no post with this id (also when a racing delete won) */
    public void delete(long id) {
        int deleted = attempts.statement(dsl -> dsl.deleteFrom(POSTS)
                .where(POSTS.ID.eq(id))
                .execute());
        if (deleted == 0) {
            throw new NotFoundException("post", id);
        }
    }

    /** The exact number of published posts (a real COUNT, not an estimate, not capped). */
    public long countPublished() {
        return attempts.statement(dsl -> dsl.selectCount()
                .from(POSTS)
                .where(POSTS.PUBLISHED.isTrue())
                .fetchSingle(0, Long.class));
    }

    /**
     * Posts in id order, one page at a time.
     *
     * @param published {@code true} or {@code false} to list only published or unpublished posts,
     *                  {@code null} for all
     */
    public Page<Post> list(Boolean published, PageRequest page) {
        PageRequest request = Inputs.page(page);
        RenderedOnce<Post> query = published == null ? PAGE : published ? PAGE_PUBLISHED : PAGE_UNPUBLISHED;
        long after = request.afterId() == null ? 0 : request.afterId();
        List<Post> posts = attempts.statement(dsl -> query.fetch(dsl, after, request.limit() + 1));
        return Pages.of(posts, request, Post::id);
    }

    private static RenderedOnce<Post> page(Condition byState) {
        return RenderedOnce.of(dsl -> Columns.select(dsl, COLUMNS)
                        .from(POSTS)
                        .where(byState)
                        .and(POSTS.ID.gt(param("after", Long.class)))
                        .orderBy(POSTS.ID)
                        .limit(param("limit", Integer.class)),
                PostRepository::read);
    }

    /** A row of {@link #COLUMNS}, in their order, converted as the generated fields convert (DATETIME in UTC to Instant). */
    private static Post read(ResultSet row) throws SQLException {
        return new Post(row.getLong(1), row.getString(2), row.getString(3), row.getBoolean(4),
                row.getObject(5, Long.class), row.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC));
    }
}
