package dev.sqlkit.dal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;

@ExtendWith(DatabaseExtension.class)
class PostRepositoryTest {

    private final PostRepository posts;

    PostRepositoryTest(Dal dal) {
        this.posts = dal.posts();
    }

    @Test
    void aNewPostIsUnpublishedByDefaultAndReadsBackAsCreated() {
        Post post = posts.create(new NewPost("Hello", "First post"));
        assertTrue(post.id() > 0);
        assertFalse(post.isPublished());
        assertNull(post.authorId());
        assertEquals(post, posts.findById(post.id()).orElseThrow());
    }

    @Test
    void aPostCanBeCreatedPublishedAndWithAnAuthor(Dal dal) {
        User author = dal.users().create(new NewUser("author-" + System.nanoTime() + "@example.test"));
        Post post = posts.create(new NewPost("Title", "Body", true, author.id()));
        assertTrue(post.isPublished());
        assertEquals(author.id(), post.authorId());
    }

    @Test
    void anUnknownAuthorIsInvalidInputNamingTheField() {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> posts.create(new NewPost("t", "b", false, Long.MAX_VALUE)));
        assertEquals("authorId", error.field());
        assertTrue(error.getMessage().contains("user that does not exist"), error.getMessage());
    }

    @Test
    void publishIsIdempotentAndKeepsTheContent() {
        Post post = posts.create(new NewPost("To publish", "Body"));
        Post published = posts.publish(post.id());
        assertTrue(published.isPublished());
        assertEquals(post.title(), published.title());
        assertEquals(published, posts.publish(post.id()));
        assertTrue(posts.findById(post.id()).orElseThrow().isPublished());
    }

    @Test
    void updateReplacesTitleAndBodyOnly() {
        Post post = posts.publish(posts.create(new NewPost("Old", "Old body")).id());
        Post updated = posts.update(post.id(), new PostUpdate("New", ""));
        assertEquals(new Post(post.id(), "New", "", true, null, post.createdAt()), updated);
    }

    @Test
    void unknownIdsAreNotFound() {
        assertTrue(posts.findById(Long.MAX_VALUE).isEmpty());
        assertEquals("post", assertThrows(NotFoundException.class, () -> posts.publish(Long.MAX_VALUE)).entity());
        assertThrows(NotFoundException.class, () -> posts.update(Long.MAX_VALUE, new PostUpdate("t", "b")));
        assertThrows(NotFoundException.class, () -> posts.delete(Long.MAX_VALUE));
    }

    @Test
    void deleteRemovesThePost() {
        Post post = posts.create(new NewPost("Doomed", ""));
        posts.delete(post.id());
        assertTrue(posts.findById(post.id()).isEmpty());
        assertThrows(NotFoundException.class, () -> posts.delete(post.id()));
    }

    @Test
    void countPublishedIsExact() {
        long before = posts.countPublished();
        for (int i = 0; i < 3; i++) {
            posts.create(new NewPost("draft " + i, ""));
        }
        List<Long> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(posts.create(new NewPost("live " + i, "", true, null)).id());
        }
        assertEquals(before + 5, posts.countPublished());
        posts.delete(published.get(0));
        assertEquals(before + 4, posts.countPublished());
    }

    @Test
    void countPublishedHasNoCapEvenForManyRows(TestDatabase database) {
        try (TestDatabase own = database.another(true)) {
            String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                    + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
            own.execute("INSERT INTO posts (title, body, published)"
                    + " SELECT CONCAT('p', n), '', n % 2 = 0 FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS n"
                    + " FROM " + digits + " a, " + digits + " b, " + digits + " c, " + digits + " e) numbers WHERE n < 2500");
            assertEquals(1250, own.dal().posts().countPublished());
        }
    }

    @Test
    void listFiltersByPublishedStateAndPagesInIdOrder(TestDatabase database) {
        try (TestDatabase own = database.another(true)) {
            PostRepository fresh = own.dal().posts();
            List<Long> all = new ArrayList<>();
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Post post = fresh.create(new NewPost("p" + i, "", i % 3 == 0, null));
                all.add(post.id());
                if (post.isPublished()) {
                    live.add(post.id());
                }
            }
            assertEquals(all, ids(fresh, null, 4));
            assertEquals(live, ids(fresh, true, 1));
            List<Long> drafts = new ArrayList<>(all);
            drafts.removeAll(live);
            assertEquals(drafts, ids(fresh, false, 3));
        }
    }

    private static List<Long> ids(PostRepository posts, Boolean published, int pageSize) {
        List<Long> ids = new ArrayList<>();
        for (PageRequest request = PageRequest.first(pageSize); request != null; ) {
            Page<Post> page = posts.list(published, request);
            page.items().forEach(post -> {
                assertTrue(published == null || post.isPublished() == published);
                ids.add(post.id());
            });
            request = request.next(page);
        }
        return ids;
    }

    @Test
    void theBodyLimitIsTheColumnsBytesNotCharacters() {
        String fits = "\u00E9".repeat(32767) + "x"; // 65535 bytes of UTF-8
        assertEquals(fits, posts.create(new NewPost("max", fits)).body());
        InvalidInputException tooLong = assertThrows(InvalidInputException.class,
                () -> posts.create(new NewPost("over", fits + "x")));
        assertEquals("body", tooLong.field());
        assertTrue(tooLong.getMessage().contains("65536 bytes"), tooLong.getMessage());
    }

    @Test
    void invalidValuesNameTheField() {
        assertEquals("title", assertThrows(InvalidInputException.class, () -> posts.create(new NewPost(null, "b"))).field());
        assertEquals("title", assertThrows(InvalidInputException.class, () -> posts.create(new NewPost("", "b"))).field());
        assertEquals("title", assertThrows(InvalidInputException.class, () -> posts.create(new NewPost("t".repeat(256), "b"))).field());
        assertEquals("body", assertThrows(InvalidInputException.class, () -> posts.create(new NewPost("t", null))).field());
        assertEquals("title", assertThrows(InvalidInputException.class,
                () -> posts.update(1, new PostUpdate(" ", "b"))).field());
    }
}
