package dev.sqlkit.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server whose sessions on a Galera node would not wait for the writes committed on other nodes
 * (wsrep_sync_wait without the UPDATE/DELETE and INSERT bits) refuses to start, naming the setting
 * and the fix: with it, a post created through one instance and updated at once through another
 * was not found (404), which the other scenarios showed before the cluster ran with 7.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CausalReadsTest {

    @RegisterExtension
    static final Fleet fleet = new Fleet("causal", 0);

    @Test
    void aNodeWhoseUpdatesDoNotWaitForTheClusterStopsStartUpNamingTheFix() throws Exception {
        ServerProcess instance = fleet.start(1, "&sessionVariables=wsrep_sync_wait=1");

        int exit = instance.awaitExit(Fleet.READY_BOUND);

        String log = instance.logTail();
        assertEquals(2, exit, "start-up stops as on any misconfiguration:\n" + log);
        assertTrue(log.contains("wsrep_sync_wait=1"), log);
        assertTrue(log.contains("sessionVariables=wsrep_sync_wait=7"), log);
    }
}
