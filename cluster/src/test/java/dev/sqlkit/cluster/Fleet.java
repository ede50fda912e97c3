package dev.sqlkit.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server instances of one test class, over an empty database of their own on the cluster
 * ({@code @RegisterExtension static final Fleet fleet = new Fleet("name", 2)}): instance n is
 * attached to node n first (its URL lists the other nodes after it, as a deployment spreads a
 * fleet). After the class, every instance is stopped and the database dropped, whatever the tests did.
 */
final class Fleet implements BeforeAllCallback, AfterAllCallback {

    static final Duration READY_BOUND = Duration.ofSeconds(120);

    private final String name;
    private final int startedBeforeAll;
    /** Unique per run, for names and titles the tests make up, so that reruns never collide. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String database;
    private final List<ServerProcess> instances = new ArrayList<>();
    private Galera galera;

    /** @param startedBeforeAll instances started one by one before the tests (0: the tests start them) */
    Fleet(String name, int startedBeforeAll) {
        this.name = name;
        this.startedBeforeAll = startedBeforeAll;
        this.database = "cl_" + name + "_" + run;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        galera = ClusterExtension.galera(context);
        galera.createDatabase(database);
        startOneByOne(startedBeforeAll);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            ServerProcess.closeAll(instances);
        } finally {
            if (galera != null) {
                galera.dropDatabase(database);
            }
        }
    }

    /** Instances on nodes 1 to {@code count}, each ready before the next starts (a rolling start). */
    Fleet startOneByOne(int count) throws Exception {
        for (int node = 1; node <= count; node++) {
            start(node).awaitReady(READY_BOUND);
        }
        return this;
    }

    /** Starts an instance attached to {@code node} first, without waiting for it. */
    ServerProcess start(int node) throws IOException {
        return start(node, "");
    }

    /** As {@link #start(int)}, with {@code urlOptions} ({@code &name=value...}) added to its JDBC URL. */
    ServerProcess start(int node, String urlOptions) throws IOException {
        ServerProcess instance = ServerProcess.start(name + "-node" + node, node, galera.urlFirst(node, database) + urlOptions);
        instances.add(instance);
        return instance;
    }

    Galera galera() {
        return galera;
    }

    String database() {
        return database;
    }

    String run() {
        return run;
    }

    List<ServerProcess> instances() {
        return instances;
    }
}
