package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import dev.sqlkit.server.RunningServer.Reply;

@WithServer
class PostAndUserRoutesTest {

    private final RunningServer http;

    PostAndUserRoutesTest(RunningServer http) {
        this.http = http;
    }

    @Test
    void aPostIsCreatedUnpublishedThenPublishedEditedAndDeleted() {
        Reply created = http.postCreated("/posts", "{\"title\":\"Hello\",\"body\":\"World\"}");
        long id = created.id();
        assertEquals("/posts/" + id, created.location());
        assertFalse(created.json().getBoolean("published"));
        assertEquals(JsonValue.NULL, created.json().get("author_id"));

        Reply published = http.post("/posts/" + id + "/publish", "");
        assertEquals(200, published.status(), published.body());
        assertTrue(published.json().getBoolean("published"));

        Reply edited = http.put("/posts/" + id, "{\"title\":\"Hello again\",\"body\":\"\"}");
        assertEquals(200, edited.status(), edited.body());
        assertEquals("Hello again", edited.json().getString("title"));
        assertTrue(edited.json().getBoolean("published"), "editing keeps the post published");

        assertEquals(204, http.delete("/posts/" + id).status());
        assertEquals(404, http.get("/posts/" + id).status());
        assertEquals(404, http.post("/posts/" + id + "/publish", "").status());
        assertEquals(404, http.delete("/posts/" + id).status());
    }

    @Test
    void theCountOfPublishedPostsIsExact() {
        long before = http.get("/posts/published/count").json().getJsonNumber("count").longValue();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, http.post("/posts", "{\"title\":\"p" + i + "\",\"body\":\"\",\"published\":true}").status());
        }
        assertEquals(201, http.post("/posts", "{\"title\":\"draft\",\"body\":\"\"}").status());
        assertEquals(before + 3, http.get("/posts/published/count").json().getJsonNumber("count").longValue());
    }

    @Test
    void listFiltersByPublishedState() {
        long draft = http.post("/posts", "{\"title\":\"d\",\"body\":\"\"}").id();
        long live = http.post("/posts", "{\"title\":\"l\",\"body\":\"\",\"published\":true}").id();
        String drafts = http.get("/posts?published=false&limit=1000").body();
        String lives = http.get("/posts?published=true&limit=1000").body();
        assertTrue(drafts.contains("\"id\":" + draft + ",") && !drafts.contains("\"id\":" + live + ","));
        assertTrue(lives.contains("\"id\":" + live + ",") && !lives.contains("\"id\":" + draft + ","));
        assertEquals(400, http.get("/posts?published=yes").status());
    }

    @Test
    void usersAreCreatedFoundUpdatedAndDeletedWithTheirPosts() {
        String email = "u-" + UUID.randomUUID() + "@x.test";
        Reply created = http.postCreated("/users", "{\"email\":\"" + email + "\"}");
        long id = created.id();
        assertEquals("USER", created.json().getString("role"));
        assertEquals(JsonValue.NULL, created.json().get("name"));

        assertEquals(id, http.get("/users/by-email/" + email.toUpperCase()).id());
        assertEquals(404, http.get("/users/by-email/nobody-" + UUID.randomUUID() + "@x.test").status());

        Reply updated = http.put("/users/" + id, "{\"name\":\"Ann\",\"role\":\"ADMIN\"}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals("ADMIN", updated.json().getString("role"));
        Reply renamed = http.put("/users/" + id, "{\"name\":\"Bea\"}");
        assertEquals("ADMIN", renamed.json().getString("role"), "a role left out stays");

        long post = http.post("/posts", "{\"title\":\"mine\",\"body\":\"\",\"author_id\":" + id + "}").id();
        JsonObject posts = http.get("/users/" + id + "/posts").json();
        assertEquals(1, posts.getJsonArray("items").size());
        assertEquals(post, posts.getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue());

        assertEquals(204, http.delete("/users/" + id).status());
        assertEquals(404, http.get("/users/" + id).status());
        assertEquals(404, http.get("/users/" + id + "/posts").status());
        assertEquals(JsonValue.NULL, http.get("/posts/" + post).json().get("author_id"), "the post stays, without author");
    }

    @Test
    void aDuplicateEmailIs409AndAnUnknownOrgIs422() {
        String email = "dup-" + UUID.randomUUID() + "@x.test";
        assertEquals(201, http.post("/users", "{\"email\":\"" + email + "\"}").status());
        Reply conflict = http.post("/users", "{\"email\":\"" + email + "\"}");
        assertEquals(409, conflict.status());
        assertEquals("email", conflict.json().getString("field"));
        Reply unknownOrg = http.post("/users", "{\"email\":\"o-" + UUID.randomUUID() + "@x.test\",\"org_id\":" + Long.MAX_VALUE + "}");
        assertEquals(422, unknownOrg.status());
        assertEquals("org_id", unknownOrg.json().getString("field"));
    }
}
