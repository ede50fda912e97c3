package dev.sqlkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sqlkit.server.RunningServer.Reply;

/** Start-up against a database that is not there, and the embedded database's persistence. */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDatabaseStopsStartupNamingItWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> SqlkitServer.start(RunningServer.config(Map.of(
                "server.port", "0",
                "database.url", "mysql://app:hunter2@127.0.0.1:" + closedPort + "/blog",
                "database.pool.timeout", "PT1S"))));
        assertTrue(error.getMessage().contains("jdbc:mysql://127.0.0.1:" + closedPort + "/blog as app"), error.getMessage());
        assertTrue(error.getMessage().contains("database.url (DATABASE_URL)"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void theEmbeddedDatabaseKeepsItsDataAcrossRestarts() {
        Map<String, String> settings = Map.of("server.port", "0", "server.host", "127.0.0.1",
                "database.embedded.dir", dir.toString());
        String location;
        try (RunningServer first = new RunningServerOnConfig(settings).start()) {
            assertTrue(first.server().databaseDescription().contains("data in " + dir), first.server().databaseDescription());
            Reply created = first.post("/posts", "{\"title\":\"kept\",\"body\":\"across restarts\"}");
            assertEquals(201, created.status(), created.body());
            location = created.location();
        }
        try (RunningServer second = new RunningServerOnConfig(settings).start()) {
            assertEquals("none pending; schema version 4", second.server().migrations());
            Reply read = second.get(location);
            assertEquals(200, read.status(), read.body());
            assertEquals("across restarts", read.json().getString("body"));
        }
    }

    /** A server from explicit settings rather than a test database. */
    private record RunningServerOnConfig(Map<String, String> settings) {
        RunningServer start() {
            return RunningServer.of(SqlkitServer.start(RunningServer.config(settings)));
        }
    }
}
