package dev.sqlkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.sqlkit.cluster.Http.Reply;

/**
 * Scenario 4, concurrent start-up: three instances started at the same moment on an empty
 * database, each attached to another node first, so that all three try to migrate at once on
 * three nodes. All must become ready, and the schema history hold each migration exactly once.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConcurrentStartupTest {

    private static final Duration READY_BOUND = Fleet.READY_BOUND;
    /** The migrations of the source tree the jar was built from. */
    private static final Path MIGRATIONS = Path.of(System.getProperty("sqlkit.migrations",
            "../schema/src/main/resources/db/migration")).toAbsolutePath().normalize();

    @RegisterExtension
    static final Fleet fleet = new Fleet("startup", 0);
    /** For the instance that must refuse to start: a database of its own, so the other test's stays empty. */
    @RegisterExtension
    static final Fleet refused = new Fleet("causal", 0);

    @Test
    void threeInstancesMigratingAtOnceOnThreeNodesAllStartAndApplyEachMigrationOnce() throws Exception {
        for (int node = 1; node <= Galera.NODES; node++) {
            fleet.start(node);
        }
        Map<String, Duration> ready = new ConcurrentHashMap<>();
        Map<String, Throwable> failed = new ConcurrentHashMap<>();
        List<Thread> waits = new ArrayList<>();
        for (ServerProcess instance : fleet.instances()) {
            waits.add(Thread.ofVirtual().start(() -> {
                try {
                    ready.put(instance.name(), instance.awaitReady(READY_BOUND));
                } catch (Throwable e) {
                    failed.put(instance.name(), e);
                }
            }));
        }
        for (Thread wait : waits) {
            wait.join(READY_BOUND.plusSeconds(30));
        }
        assertTrue(failed.isEmpty(), "not every instance became ready: " + failed);
        long slowest = ready.values().stream().mapToLong(Duration::toMillis).max().orElseThrow();
        System.out.println("startup: ready after " + new TreeMap<>(ready.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().toMillis() + " ms"))));
        Figures.record("startup_slowest_ready_ms", String.valueOf(slowest));

        List<String> expected = migrationVersions();
        for (int node = 1; node <= Galera.NODES; node++) {
            List<String> versions = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            try (Connection connection = fleet.galera().connect(node); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT version, script, success FROM `" + fleet.database()
                         + "`.flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                while (rows.next()) {
                    versions.add(rows.getString(1));
                    if (!rows.getBoolean(3)) {
                        failures.add(rows.getString(2));
                    }
                }
            }
            assertEquals(List.of(), failures, "node " + node + ": failed migrations in the history");
            assertEquals(versions.stream().distinct().toList(), versions, "node " + node + ": a version applied twice");
            // A new database's history starts with Flyway's baseline (version 0), then every migration.
            assertEquals(expected, versions.stream().filter(version -> !version.equals("0")).toList(),
                    "node " + node + ": the history holds each migration once, in order");
        }

        // The schema serves: a post written through each instance reads back through the next.
        for (int i = 0; i < fleet.instances().size(); i++) {
            ServerProcess writer = fleet.instances().get(i);
            ServerProcess reader = fleet.instances().get((i + 1) % fleet.instances().size());
            Reply created = Http.send("POST", writer.uri("/posts"), Http.json("title", "after start-up", "body", writer.name()));
            assertEquals(201, created.status(), writer + ": " + created);
            Reply read = Http.get(reader.uri(created.header("Location").orElseThrow()));
            assertEquals(200, read.status(), reader + ": " + read);
        }
        for (ServerProcess instance : fleet.instances()) {
            assertEquals(0, instance.logLinesContaining("SEVERE"), instance + " logged errors:\n" + instance.logTail());
        }
    }

    /** V1, V2, ... as Flyway writes them, from the file names (V2__relate_....sql is "2"). */
    private static List<String> migrationVersions() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<String> versions = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("V") && name.contains("__"))
                    .map(name -> name.substring(1, name.indexOf("__")).replace('_', '.'))
                    .sorted(ConcurrentStartupTest::compareVersions)
                    .toList();
            assertTrue(!versions.isEmpty(), "no migrations in " + MIGRATIONS);
            return versions;
        }
    }

    private static int compareVersions(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            long l = i < left.length ? Long.parseLong(left[i]) : 0;
            long r = i < right.length ? Long.parseLong(right[i]) : 0;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    /**
     * A server whose sessions on a Galera node would not wait for the writes committed on other
     * nodes (wsrep_sync_wait without the UPDATE/DELETE and INSERT bits) refuses to start, naming the
     * setting and the fix: with it, a post created through one instance and updated at once through
     * another was not found (404), as NodeFailureTest saw before the cluster ran with 7.
     */
    @Test
    void aNodeWhoseUpdatesDoNotWaitForTheClusterStopsStartUpNamingTheFix() throws Exception {
        ServerProcess instance = refused.start(1, "&sessionVariables=wsrep_sync_wait=1");

        int exit = instance.awaitExit(READY_BOUND);

        String log = instance.logTail();
        assertEquals(2, exit, "start-up stops as on any misconfiguration:\n" + log);
        assertTrue(log.contains("wsrep_sync_wait=1"), log);
        assertTrue(log.contains("sessionVariables=wsrep_sync_wait=7"), log);
    }
}
