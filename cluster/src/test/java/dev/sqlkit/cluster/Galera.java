package dev.sqlkit.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The 3-node cluster of {@code cluster/galera.sh}: the script for starting, killing and restarting
 * nodes (the one way this project drives them), JDBC straight to a node for everything the tests
 * read or compare.
 */
final class Galera {

    static final int NODES = 3;
    private static final Path SCRIPTS = Path.of(System.getProperty("sqlkit.cluster.scripts", "")).toAbsolutePath();

    private final List<String> nodes;

    private Galera(List<String> nodes) {
        this.nodes = nodes;
    }

    /** The nodes' host:port as {@code galera.sh env} prints them (GALERA_BASE_PORT is honoured there). */
    static Galera fromScript() {
        String env = script(Duration.ofSeconds(30), "env").output();
        Map<String, String> values = env.lines()
                .filter(line -> line.contains("="))
                .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
        List<String> nodes = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            String address = values.get("CLUSTER_NODE_" + node);
            if (address == null) {
                throw new IllegalStateException("galera.sh env did not name node " + node + ":\n" + env);
            }
            nodes.add(address);
        }
        return new Galera(List.copyOf(nodes));
    }

    /** What a run of galera.sh printed (stdout and stderr together) and its exit code. */
    record ScriptRun(int exitCode, String output) {
    }

    /**
     * Runs {@code galera.sh args...} and waits at most {@code bound}; past it the script and its
     * children are killed and the run fails. The output goes through a file: the nodes the script
     * starts in the background must not hold a pipe of ours open.
     */
    static ScriptRun script(Duration bound, String... args) {
        try {
            Path output = Files.createTempFile("galera-", ".log");
            try {
                List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve("galera.sh").toString()));
                command.addAll(List.of(args));
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IllegalStateException("galera.sh " + String.join(" ", args) + " still running after "
                            + bound.toSeconds() + " s; killed. Output:\n" + Files.readString(output));
                }
                return new ScriptRun(process.exitValue(), Files.readString(output));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run galera.sh in " + SCRIPTS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running galera.sh", e);
        }
    }

    /** Runs galera.sh and fails with its output unless it exits with 0. */
    static String scriptOrFail(Duration bound, String... args) {
        ScriptRun run = script(bound, args);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("galera.sh " + String.join(" ", args) + " failed (exit " + run.exitCode()
                    + "):\n" + run.output());
        }
        return run.output();
    }

    /** host:port of node n (1-based). */
    String node(int node) {
        return nodes.get(node - 1);
    }

    /** A JDBC URL listing node {@code first} first and the others after it, as fleet.sh gives each instance. */
    String urlFirst(int first, String database) {
        List<String> hosts = new ArrayList<>();
        for (int k = 0; k < NODES; k++) {
            hosts.add(node((first - 1 + k) % NODES + 1));
        }
        return "jdbc:mysql://" + String.join(",", hosts) + "/" + database + "?failOverReadOnly=false";
    }

    /**
     * A connection to node n alone (no failover), whose reads wait for every write committed
     * anywhere in the cluster before them (wsrep_sync_wait=1), so what it reads is the cluster's state.
     */
    Connection connect(int node) throws SQLException {
        Connection connection = connectWithoutSyncWait(node);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION wsrep_sync_wait = 1");
        }
        return connection;
    }

    /** For status reads, which must answer even while the node is joining (a causal wait would block there). */
    Connection connectWithoutSyncWait(int node) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + node(node) + "/?user=root&connectTimeout=3000&socketTimeout=60000");
    }

    void createDatabase(String database) throws SQLException {
        try (Connection connection = connect(1); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
    }

    void dropDatabase(String database) {
        for (int node = 1; node <= NODES; node++) {
            try (Connection connection = connect(node); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
                return;
            } catch (SQLException nodeDown) {
                // another node will do: the DDL replicates
            }
        }
    }

    /** wsrep status variables of node n (wsrep_local_state_comment, wsrep_cluster_size, ...). */
    Map<String, String> status(int node) throws SQLException {
        Map<String, String> status = new LinkedHashMap<>();
        try (Connection connection = connectWithoutSyncWait(node); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'wsrep%'")) {
            while (rows.next()) {
                status.put(rows.getString(1), rows.getString(2));
            }
        }
        return status;
    }

    /** True when every node answers, is Synced and sees a cluster of three. */
    boolean isHealthy() {
        try {
            for (int node = 1; node <= NODES; node++) {
                Map<String, String> status = status(node);
                if (!"Synced".equals(status.get("wsrep_local_state_comment"))
                        || !String.valueOf(NODES).equals(status.get("wsrep_cluster_size"))) {
                    return false;
                }
            }
            return true;
        } catch (SQLException down) {
            return false;
        }
    }

    /**
     * Waits (bounded) until all nodes have applied the same last transaction, so that comparing
     * their rows compares settled states; fails with the positions seen.
     */
    void awaitSameLastCommitted(Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> positions = List.of();
        while (System.nanoTime() < deadline) {
            positions = new ArrayList<>();
            for (int node = 1; node <= NODES; node++) {
                positions.add(status(node).get("wsrep_last_committed"));
            }
            if (positions.stream().distinct().count() == 1) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the nodes did not reach the same wsrep_last_committed within " + bound.toSeconds()
                + " s: " + positions);
    }

    /**
     * A digest per table (orgs, posts, users) of every row of {@code database} as node n holds it, in
     * id order; equal digests on all nodes mean identical rows.
     */
    Map<String, String> digests(int node, String database) throws SQLException {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection connection = connect(node); Statement statement = connection.createStatement()) {
            for (String table : List.of("orgs", "posts", "users")) {
                MessageDigest sha = sha256();
                long rows = 0;
                try (ResultSet result = statement.executeQuery("SELECT * FROM `" + database + "`." + table + " ORDER BY id")) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        rows++;
                        for (int column = 1; column <= columns; column++) {
                            sha.update(String.valueOf(result.getString(column)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            sha.update((byte) 0);
                        }
                        sha.update((byte) '\n');
                    }
                }
                digests.put(table, rows + " rows " + HexFormat.of().formatHex(sha.digest()).substring(0, 16));
            }
        }
        return digests;
    }

    /** Fails unless all three nodes hold identical orgs, posts and users in {@code database}; returns node 1's digests. */
    Map<String, String> assertNodesAgree(String database) throws Exception {
        awaitSameLastCommitted(Duration.ofSeconds(60));
        Map<String, String> first = digests(1, database);
        for (int node = 2; node <= NODES; node++) {
            Map<String, String> other = digests(node, database);
            if (!first.equals(other)) {
                throw new AssertionError("node " + node + " holds other rows than node 1 in " + database + ": node 1 "
                        + first + ", node " + node + " " + other);
            }
        }
        return first;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
