package dev.sqlkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.sqlkit.cluster.Http.Reply;

/**
 * Scenario 5, the price of the cluster: POST /posts per second from the same clients through two
 * instances on two Galera nodes, and through one instance on the standalone MariaDB
 * ({@code sqlkit.cluster.singleNode}, default 127.0.0.1:3306), measured in one run on one machine.
 * Every answer must be a 201; the rates are figures, not assertions (the machine is shared).
 */
@ExtendWith(ClusterExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ThroughputTest {

    private static final int CLIENTS = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("sqlkit.cluster.throughputSeconds", 15));
    private static final String SINGLE_NODE = System.getProperty("sqlkit.cluster.singleNode", "127.0.0.1:3306");

    @RegisterExtension
    static final Fleet fleet = new Fleet("tput", 0);
    private static final String SINGLE_DATABASE = fleet.database() + "_single";
    private static ServerProcess single;

    @BeforeAll
    static void singleNodeDatabase() throws Exception {
        try (Connection connection = singleNode(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE `" + SINGLE_DATABASE + "` CHARACTER SET utf8mb4");
        }
    }

    @AfterAll
    static void stopSingleNode() throws Exception {
        try {
            if (single != null) {
                single.close();
            }
        } finally {
            try (Connection connection = singleNode(); Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS `" + SINGLE_DATABASE + "`");
            }
        }
    }

    @Test
    void writesPerSecondOnTheClusterAndOnOneNode() throws Exception {
        List<ServerProcess> clustered = fleet.startOneByOne(2).instances();
        double onCluster = postsPerSecond(clustered);
        ServerProcess.closeAll(clustered);

        // The cluster's URL lists several hosts, which Connector/J serves; on one node the server would
        // take MariaDB Connector/J. The same driver for both, so that the ratio is the cluster's price alone.
        single = ServerProcess.start("throughput-single", 3, "jdbc:mysql://" + SINGLE_NODE + "/" + SINGLE_DATABASE,
                Map.of("DATABASE_DRIVER", "connector-j"));
        single.awaitReady(Fleet.READY_BOUND);
        double onOneNode = postsPerSecond(List.of(single));

        Figures.record("throughput_cluster_2_instances_posts_per_s", String.valueOf(Math.round(onCluster)));
        Figures.record("throughput_single_node_1_instance_posts_per_s", String.valueOf(Math.round(onOneNode)));
        Figures.record("throughput_cluster_vs_single", onCluster / onOneNode);
    }

    /**
     * {@link #CLIENTS} clients, spread over the instances, each sending POST /posts one after the
     * other: warm-up, then the 201s of {@link #MEASURED} counted. Fails on any other answer.
     */
    private static double postsPerSecond(List<ServerProcess> targets) throws Exception {
        AtomicLong created = new AtomicLong();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> perInstance = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        long measureUntil = measureFrom + MEASURED.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            ServerProcess target = targets.get(c % targets.size());
            String json = Http.json("title", "throughput " + c, "body", "a post of moderate length, as a user would write");
            clients.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < measureUntil && problems.size() < 10) {
                    try {
                        Reply reply = Http.send("POST", target.uri("/posts"), json);
                        long now = System.nanoTime();
                        if (reply.status() != 201) {
                            problems.add(target + ": " + reply);
                        } else if (now >= measureFrom && now < measureUntil) {
                            created.incrementAndGet();
                            perInstance.computeIfAbsent(target.name(), name -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (IOException e) {
                        problems.add(target + ": no answer: " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Thread client : clients) {
            assertTrue(client.join(WARM_UP.plus(MEASURED).plusSeconds(60)), "a client did not finish");
        }
        assertEquals(List.of(), List.copyOf(problems), "every POST /posts is a 201");
        assertTrue(created.get() > 0, "no POST /posts answered within the measured window through " + targets);
        double rate = created.get() / (MEASURED.toNanos() / 1e9);
        System.out.printf("throughput: %.0f posts/s through %s (%s), %d clients%n", rate, targets, perInstance, CLIENTS);
        return rate;
    }

    private static Connection singleNode() throws Exception {
        return DriverManager.getConnection("jdbc:mysql://" + SINGLE_NODE + "/?user=root&connectTimeout=3000");
    }
}
