package dev.sqlkit.cluster;

import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes sure the cluster runs before a test class does ({@link Fleet} reads it through
 * {@link #galera}). A cluster whose three
 * nodes are Synced is used as it is (CI starts one); when no node runs, galera.sh starts a new one
 * and stops it again after the last test class, so the module also runs on its own. Once per run,
 * after everything: one line with every figure the tests measured.
 */
final class ClusterExtension implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    /** The running cluster, for other extensions of the same test class ({@link Fleet}). */
    static Galera galera(ExtensionContext context) {
        return running(context).galera();
    }

    private static RunningCluster running(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningCluster.class, key -> RunningCluster.ensure(), RunningCluster.class);
    }

    /** Closed by JUnit after the last test class: prints the figures, stops a cluster started here. */
    private record RunningCluster(Galera galera, boolean isStartedHere) implements AutoCloseable {

        static RunningCluster ensure() {
            Galera.ScriptRun status = Galera.script(Duration.ofSeconds(60), "status");
            if (status.exitCode() == 0) {
                return new RunningCluster(Galera.fromScript(), false);
            }
            if (status.output().contains(" up (pid")) {
                throw new IllegalStateException("the cluster runs, but not every node is Synced:\n" + status.output()
                        + "Restart the node that is down (cluster/galera.sh restart N), or stop the cluster"
                        + " (cluster/galera.sh stop) and the tests start a new one.");
            }
            System.out.println("cluster: no node running; starting a new cluster with galera.sh start");
            Galera.scriptOrFail(Duration.ofMinutes(5), "start");
            return new RunningCluster(Galera.fromScript(), true);
        }

        @Override
        public void close() {
            Figures.printSummary();
            if (isStartedHere) {
                System.out.println("cluster: stopping the cluster these tests started");
                Galera.scriptOrFail(Duration.ofMinutes(4), "stop");
            }
        }
    }
}
