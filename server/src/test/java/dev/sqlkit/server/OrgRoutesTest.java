package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import dev.sqlkit.server.RunningServer.Reply;

@WithServer
class OrgRoutesTest {

    private final RunningServer http;

    OrgRoutesTest(RunningServer http) {
        this.http = http;
    }

    private JsonObject createOrg(String name) {
        return http.postCreated("/orgs", "{\"name\":\"" + name + "\",\"description\":\"d\",\"url\":null}").json();
    }

    @Test
    void createAnswers201WithLocationAndTheStoredOrg() {
        String name = "acme-" + UUID.randomUUID();
        Reply reply = http.postCreated("/orgs", "{\"name\":\"" + name + "\",\"description\":\"Rockets \uD83D\uDE80\",\"url\":\"https://acme.test\"}");
        assertEquals("application/json", reply.contentType());
        JsonObject org = reply.json();
        assertEquals("/orgs/" + org.getJsonNumber("id").longValue(), reply.location());
        assertEquals(name, org.getString("name"));
        assertEquals("Rockets \uD83D\uDE80", org.getString("description"));
        assertEquals("https://acme.test", org.getString("url"));
        assertTrue(org.getString("created_at").endsWith("Z"), org.toString());

        Reply read = http.get(reply.location());
        assertEquals(200, read.status());
        assertEquals(org, read.json());
    }

    @Test
    void byNameFindsAnyNameIncludingOnesThatLookLikeRoutesOrIds() throws Exception {
        // Exact names: the class has a database of its own, so none of them exists yet.
        for (String name : List.of("list", "42", "by-name", "a/members", "R&D / Ops: \u00fcn\u00efcode? #1 %" + UUID.randomUUID())) {
            JsonObject org = createOrg(name);
            // The JDK client sends the percent-encoded path exactly as given (Helidon's client
            // writes the decoded path, which cannot carry '/' or '%' inside a segment).
            HttpResponse<String> found = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + http.server().port() + "/orgs/by-name/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, found.statusCode(), name + ": " + found.body());
            assertTrue(found.body().startsWith("{\"id\":" + org.getJsonNumber("id") + ","), found.body());
        }
        assertEquals(404, http.get("/orgs/by-name/no-such-org-" + UUID.randomUUID()).status());
    }

    @Test
    void listPagesWithACursor() {
        List<Long> seen = new ArrayList<>();
        String path = "/orgs?limit=2";
        for (int page = 0; page < 1000 && path != null; page++) {
            JsonObject body = http.get(path).json();
            assertTrue(body.getJsonArray("items").size() <= 2);
            body.getJsonArray("items").forEach(item -> seen.add(item.asJsonObject().getJsonNumber("id").longValue()));
            path = body.isNull("next_after") ? null : "/orgs?limit=2&after=" + body.getJsonNumber("next_after");
        }
        List<Long> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        assertEquals(sorted, seen, "id order, no repeats");
        assertEquals(seen.stream().distinct().count(), seen.size());
    }

    @Test
    void updateReplacesAndDeleteRemoves() {
        JsonObject org = createOrg("old-" + UUID.randomUUID());
        long id = org.getJsonNumber("id").longValue();
        String newName = "new-" + UUID.randomUUID();
        Reply updated = http.put("/orgs/" + id, "{\"name\":\"" + newName + "\",\"description\":\"\",\"url\":\"https://x.test\"}");
        assertEquals(200, updated.status(), updated.body());
        assertEquals(newName, updated.json().getString("name"));
        assertEquals(org.getString("created_at"), updated.json().getString("created_at"));

        assertEquals(204, http.delete("/orgs/" + id).status());
        assertEquals(404, http.get("/orgs/" + id).status());
        assertEquals(404, http.delete("/orgs/" + id).status());
        assertEquals(404, http.put("/orgs/" + id, "{\"name\":\"x\",\"description\":\"\"}").status());
    }

    @Test
    void aDuplicateNameIs409NamingTheField() {
        String name = "dup-" + UUID.randomUUID();
        createOrg(name);
        Reply conflict = http.post("/orgs", "{\"name\":\"" + name + "\",\"description\":\"\"}");
        assertEquals(409, conflict.status());
        assertEquals("application/problem+json", conflict.contentType());
        assertEquals("name", conflict.json().getString("field"));
        assertTrue(conflict.json().getString("detail").contains(name));
    }

    @Test
    void membersArePagedAndAnUnknownOrgIs404() {
        JsonObject org = createOrg("members-" + UUID.randomUUID());
        long id = org.getJsonNumber("id").longValue();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, http.post("/users", "{\"email\":\"m" + i + "-" + UUID.randomUUID() + "@x.test\",\"org_id\":" + id + "}").status());
        }
        JsonObject first = http.get("/orgs/" + id + "/members?limit=2").json();
        assertEquals(2, first.getJsonArray("items").size());
        assertFalse(first.isNull("next_after"));
        JsonObject second = http.get("/orgs/" + id + "/members?limit=2&after=" + first.getJsonNumber("next_after")).json();
        assertEquals(1, second.getJsonArray("items").size());
        assertTrue(second.isNull("next_after"));
        assertEquals(404, http.get("/orgs/" + Long.MAX_VALUE + "/members").status());
    }
}
