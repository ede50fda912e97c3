package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.sqlkit.dal.testing.DatabaseExtension;
import dev.sqlkit.dal.testing.TestDatabase;
import dev.sqlkit.server.RunningServer.Reply;

/** A write token guards writes; neither it nor the database password shows anywhere. */
@ExtendWith(DatabaseExtension.class)
class WriteAuthorizationTest {

    private static final String TOKEN = "t0ken-" + "9f2c4e7a1b3d5f60";
    private static final String PASSWORD = "db-Pa55word-" + "7e1d";

    private static final List<String> logged = new ArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringWriter text = new StringWriter().append(String.valueOf(record.getMessage()));
            if (record.getThrown() != null) {
                record.getThrown().printStackTrace(new PrintWriter(text));
            }
            synchronized (logged) {
                logged.add(text.toString());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static RunningServer http;
    private static String user;

    @BeforeAll
    static void start(TestDatabase database) {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("").setLevel(Level.ALL);
        user = userWithPassword(database);
        http = RunningServer.on(database, Map.of("auth.token", TOKEN, "database.user", user, "database.password", PASSWORD));
    }

    @AfterAll
    static void stop(TestDatabase database) {
        http.close();
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("").setLevel(Level.INFO);
        if (!user.equals(database.user())) {
            database.execute("DROP USER IF EXISTS '" + user + "'@'%', '" + user + "'@'localhost'");
        }
    }

    /**
     * A user that needs the password. A server run with --skip-grant-tables (the embedded one)
     * cannot create users but then accepts any password, so the password still travels.
     */
    private static String userWithPassword(TestDatabase database) {
        String name = "sqlkit_pw_" + database.name().substring(database.name().length() - 8);
        try {
            database.execute("CREATE USER '" + name + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            database.execute("CREATE USER '" + name + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "'");
            database.execute("GRANT ALL ON `" + database.name() + "`.* TO '" + name + "'@'%', '" + name + "'@'localhost'");
            return name;
        } catch (IllegalStateException skipGrantTables) {
            return database.user();
        }
    }

    private Reply write(Method method, String path, String authorization) {
        var request = http.request(method, path).contentType(MediaTypes.APPLICATION_JSON);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return RunningServer.read(request.submit("{\"title\":\"t\",\"body\":\"b\"}"));
    }

    @Test
    void writesWithoutATokenAre401AndWithAWrongOne403() {
        Reply missing = write(Method.POST, "/posts", null);
        assertEquals(401, missing.status());
        assertEquals("application/problem+json", missing.contentType());
        Reply basic = write(Method.POST, "/posts", "Basic dXNlcjpwYXNz");
        assertEquals(401, basic.status());
        Reply wrong = write(Method.POST, "/posts", "Bearer " + TOKEN + "x");
        assertEquals(403, wrong.status());
        assertEquals(403, write(Method.PUT, "/posts/1", "Bearer nope").status());
        assertEquals(401, write(Method.PATCH, "/post/1", null).status());
        assertEquals(401, write(Method.DELETE, "/orgs/1", null).status());
    }

    @Test
    void theRightTokenWritesAndReadsNeedNone() {
        Reply created = write(Method.POST, "/posts", "Bearer " + TOKEN);
        assertEquals(201, created.status(), created.body());
        assertEquals(200, http.get(created.location()).status());
        assertEquals(200, http.get("/posts").status());
        assertEquals(200, http.get("/observe/health/ready").status());
    }

    @Test
    void aShortTokenStopsStartup() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> SqlkitServer.start(RunningServer.config(Map.of("auth.token", "short", "server.port", "0"))));
        assertTrue(error.getMessage().contains("auth.token (AUTH_TOKEN) is 5 characters"), error.getMessage());
        assertFalse(error.getMessage().contains("short"), "the token itself is not repeated");
    }

    @Test
    void noSecretAppearsInResponsesOrLogs() throws SQLException {
        List<String> seen = new ArrayList<>();
        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live", "/observe/metrics",
                "/openapi", "/api/info", "/no/such/route", "/posts/abc")) {
            seen.add(http.get(path).body());
        }
        seen.add(write(Method.POST, "/posts", null).body());
        seen.add(write(Method.POST, "/posts", "Bearer " + TOKEN + "-wrong").body());
        seen.add(http.server().databaseDescription());
        synchronized (logged) {
            seen.addAll(logged);
        }
        assertTrue(logged.size() > 0, "the capture must have seen the server's logs");
        for (String text : seen) {
            assertFalse(text.contains(PASSWORD), "password leaked: " + text);
            assertFalse(text.contains(TOKEN), "token leaked: " + text);
        }
    }
}
