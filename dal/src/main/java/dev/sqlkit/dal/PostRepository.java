package dev.sqlkit.dal;

import static dev.sqlkit.db.Tables.POSTS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.noCondition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record6;
import org.jooq.SelectSelectStep;

import dev.sqlkit.dal.internal.ErrorTranslator;
import dev.sqlkit.dal.internal.Inserts;
import dev.sqlkit.dal.internal.Inputs;

/** Blog posts. Stateless; share one per {@link DSLContext}. */
public final class PostRepository {

    private final DSLContext dsl;

    public PostRepository(DSLContext dsl) {
        this.dsl = ErrorTranslator.install(dsl);
    }

    /** Creates a post. @throws InvalidInputException if {@code authorId} names no user */
    public Post create(NewPost post) {
        if (post == null) {
            throw new InvalidInputException("post", "is required");
        }
        String title = Inputs.required("title", post.title(), POSTS.TITLE);
        String body = Inputs.present("body", post.body(), POSTS.BODY);
        return Inserts.returning(dsl, dsl.insertInto(POSTS)
                        .set(POSTS.TITLE, title)
                        .set(POSTS.BODY, body)
                        .set(POSTS.PUBLISHED, post.isPublished())
                        .set(POSTS.AUTHOR_ID, post.authorId())
                        .returningResult(POSTS.ID, POSTS.TITLE, POSTS.BODY, POSTS.PUBLISHED, POSTS.AUTHOR_ID, POSTS.CREATED_AT))
                .fetchSingle(mapping(Post::new));
    }

    public Optional<Post> findById(long id) {
        return selectPost()
                .from(POSTS)
                .where(POSTS.ID.eq(id))
                .fetchOptional(mapping(Post::new));
    }

    /**
     * Marks a post published; publishing a published post changes nothing. Safe to race with other
     * publishes and with a delete: the single UPDATE cannot lose anyone's write, and the post read
     * back afterwards decides between the result and {@link NotFoundException}.
     */
    public Post publish(long id) {
        dsl.update(POSTS)
                .set(POSTS.PUBLISHED, true)
                .where(POSTS.ID.eq(id))
                .execute();
        return findById(id).orElseThrow(() -> new NotFoundException("post", id));
    }

    /** Replaces title and body. @throws NotFoundException if there is no post with this id */
    public Post update(long id, PostUpdate update) {
        if (update == null) {
            throw new InvalidInputException("post", "is required");
        }
        dsl.update(POSTS)
                .set(POSTS.TITLE, Inputs.required("title", update.title(), POSTS.TITLE))
                .set(POSTS.BODY, Inputs.present("body", update.body(), POSTS.BODY))
                .where(POSTS.ID.eq(id))
                .execute();
        return findById(id).orElseThrow(() -> new NotFoundException("post", id));
    }

    /** @throws NotFoundException if there is no post with this id (also when a racing delete won) */
    public void delete(long id) {
        int deleted = dsl.deleteFrom(POSTS)
                .where(POSTS.ID.eq(id))
                .execute();
        if (deleted == 0) {
            throw new NotFoundException("post", id);
        }
    }

    /** The exact number of published posts (a real COUNT, not an estimate, not capped). */
    public long countPublished() {
        return dsl.selectCount()
                .from(POSTS)
                .where(POSTS.PUBLISHED.isTrue())
                .fetchSingle(0, Long.class);
    }

    /**
     * Posts in id order, one page at a time.
     *
     * @param published {@code true} or {@code false} to list only published or unpublished posts,
     *                  {@code null} for all
     */
    public Page<Post> list(Boolean published, PageRequest page) {
        PageRequest request = Inputs.page(page);
        Condition byState = published == null ? noCondition() : POSTS.PUBLISHED.eq(published);
        List<Post> posts = selectPost()
                .from(POSTS)
                .where(byState)
                .and(request.afterId() == null ? noCondition() : POSTS.ID.gt(request.afterId()))
                .orderBy(POSTS.ID)
                .limit(request.limit() + 1)
                .fetch(mapping(Post::new));
        return Pages.of(posts, request, Post::id);
    }

    private SelectSelectStep<Record6<Long, String, String, Boolean, Long, Instant>> selectPost() {
        return dsl.select(POSTS.ID, POSTS.TITLE, POSTS.BODY, POSTS.PUBLISHED, POSTS.AUTHOR_ID, POSTS.CREATED_AT);
    }
}
