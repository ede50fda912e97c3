package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Against the server this machine provides: the one named by sqlkit.db.url / SQLKIT_DB_URL, else
 * Testcontainers MySQL, else the embedded MariaDB (so CI exercises each path it is run with).
 */
class DatabaseServersTest {

    @TempDir
    static Path workDir;

    private static DatabaseServer server;
    private static final List<String> log = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = DatabaseServers.start(ProvisionSettings.from(System::getProperty, workDir), log::add);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void logsOneLineNamingTheChosenServer() {
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("Database: "), log.get(0));
        String expected = switch (server.kind()) {
            case EXPLICIT_URL -> "given by";
            case TESTCONTAINERS_MYSQL -> "Docker engine found";
            case EMBEDDED_MARIADB -> "no Docker engine found";
        };
        assertTrue(log.get(0).contains(expected), log.get(0));
    }

    @Test
    void scratchDatabasesAreUniqueUsableAndDroppedOnClose() throws SQLException {
        String name;
        try (ScratchDatabase first = server.createScratchDatabase("sqlkit_test");
             ScratchDatabase second = server.createScratchDatabase("sqlkit_test")) {
            name = first.name();
            assertTrue(name.startsWith("sqlkit_test_"), name);
            assertFalse(name.equals(second.name()));
            try (Connection connection = first.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (text VARCHAR(10))");
                statement.execute("INSERT INTO t VALUES ('\uD83D\uDE00\u4E2D\u05E9')");
                try (ResultSet rows = statement.executeQuery("SELECT text, DATABASE() FROM t")) {
                    assertTrue(rows.next());
                    assertEquals("\uD83D\uDE00\u4E2D\u05E9", rows.getString(1), "utf8mb4 round trip");
                    assertEquals(name, rows.getString(2));
                }
            }
        }
        try (Connection connection = server.connect("");
             ResultSet rows = connection.getMetaData().getCatalogs()) {
            while (rows.next()) {
                assertFalse(rows.getString(1).equals(name), "scratch database " + name + " still exists");
            }
        }
    }

    @Test
    void mariaDbIsNamedMariaDbWithItsOwnVersionAndEverythingElseIsTheDriversConnection() throws SQLException {
        try (Connection raw = server.connect("")) {
            ServerVersion version = ServerVersion.of(raw);
            Connection connection = TrueVersionMetadata.of(raw);
            if (!version.isMariaDb()) {
                assertSame(raw, connection, "MySQL's own metadata is already true");
                return;
            }
            DatabaseMetaData metaData = connection.getMetaData();
            assertEquals("MariaDB", metaData.getDatabaseProductName());
            assertEquals(version.version(), metaData.getDatabaseProductVersion());
            assertFalse(metaData.getDatabaseProductVersion().startsWith("5.5.5-"), metaData.getDatabaseProductVersion());
            assertEquals(version.major(), metaData.getDatabaseMajorVersion());
            assertEquals(version.minor(), metaData.getDatabaseMinorVersion());
            assertSame(connection, metaData.getConnection());
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT 42")) {
                row.next();
                assertEquals(42, row.getInt(1));
            }
        }
    }

    @Test
    void anUnreachableExplicitUrlFailsNamingTheUrlWithoutItsPassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:mysql://127.0.0.1:" + closedPort + "/app?user=root&password=hunter2";
        ProvisionSettings settings = new ProvisionSettings(url, "SQLKIT_DB_URL", null, null,
                ProvisionSettings.DEFAULT_MYSQL_IMAGE, workDir, workDir);
        List<String> lines = new ArrayList<>();
        MysqlSetupException error = assertThrows(MysqlSetupException.class,
                () -> DatabaseServers.start(settings, lines::add));
        String message = error.getMessage();
        assertTrue(message.contains("127.0.0.1:" + closedPort + "/app?user=root&password=***"), message);
        assertTrue(message.contains("SQLKIT_DB_URL"), message);
        assertFalse(message.contains("hunter2"), message);
        assertTrue(lines.isEmpty(), "nothing else may be tried after an explicit URL fails: " + lines);
    }

    /**
     * A pooled connection whose server stops answering (here a proxy that goes on accepting bytes and
     * sends none back, as a frozen server or a vanished network does) fails its query once a read has
     * waited the read timeout, instead of blocking its caller forever.
     */
    @ParameterizedTest
    @MethodSource("driversForThisServer")
    @Timeout(30) // without the read timeout, the query would wait forever
    void aPooledReadThatGetsNoAnswerFailsAfterTheReadTimeout(JdbcDriver driver) throws Exception {
        MysqlUrl direct = server.url("");
        AtomicBoolean frozen = new AtomicBoolean();
        String previous = System.setProperty(ReadWatchdog.READ_TIMEOUT_PROPERTY, "1500");
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> forward(proxy, direct.hosts().get(0), frozen));
            MysqlUrl viaProxy = MysqlUrl.parse("jdbc:mysql://127.0.0.1:" + proxy.getLocalPort() + "/", "test")
                    .withCredentials(direct.user(), direct.password());
            try (HikariDataSource pool = new HikariDataSource(HikariPools.config(viaProxy, driver, "read-timeout", 1, Duration.ofSeconds(5)))) {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("SELECT 1")) {
                    assertTrue(row.next(), "the query answers while the server does");
                }
                frozen.set(true);
                long start = System.nanoTime();
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    SQLException failure = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT 2"));
                    assertTrue(String.valueOf(failure.getSQLState()).startsWith("08"), "a broken connection: " + failure
                            + " (SQLState " + failure.getSQLState() + ")");
                }
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(waited.compareTo(Duration.ofMillis(1400)) >= 0 && waited.compareTo(Duration.ofSeconds(10)) < 0,
                        "failed after " + waited + ", not after the read timeout of 1.5 s");
            }
        } finally {
            if (previous == null) {
                System.clearProperty(ReadWatchdog.READ_TIMEOUT_PROPERTY);
            } else {
                System.setProperty(ReadWatchdog.READ_TIMEOUT_PROPERTY, previous);
            }
        }
    }

    /**
     * A pooled connection the server ended (KILL CONNECTION, as an administrator or a restarting node
     * does) fails its next query as a broken connection (SQLState class 08), which is what makes the
     * pool drop it, and the pool's next connection works. The sockets never ask the kernel whether
     * bytes wait unread before a command (WatchedSockets): whatever the server sent on its way out
     * must still end as a broken connection, not as an error that leaves the connection in the pool.
     */
    @ParameterizedTest
    @MethodSource("driversForThisServer")
    @Timeout(30) // a connection left waiting for an answer that never comes would hang here
    void aConnectionTheServerEndedFailsAsBrokenAndThePoolReplacesIt(JdbcDriver driver) throws Exception {
        try (HikariDataSource pool = new HikariDataSource(HikariPools.config(server.url(""), driver, "killed", 1, Duration.ofSeconds(5)))) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                long id;
                try (ResultSet row = statement.executeQuery("SELECT CONNECTION_ID()")) {
                    assertTrue(row.next());
                    id = row.getLong(1);
                }
                try (Connection admin = server.connect(""); Statement kill = admin.createStatement()) {
                    kill.execute("KILL CONNECTION " + id);
                }
                SQLException failure = assertThrows(SQLException.class, () -> statement.executeQuery("SELECT 2"));
                assertTrue(String.valueOf(failure.getSQLState()).startsWith("08"), "a broken connection: " + failure
                        + " (SQLState " + failure.getSQLState() + ", error " + failure.getErrorCode() + ")");
            }
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT 3")) {
                assertTrue(row.next(), "the pool's next connection answers");
                assertEquals(3, row.getInt(1));
            }
        }
    }

    /**
     * The server's greeting, read before any login, names the server this test runs against, and the
     * choice of driver follows it: MariaDB Connector/J for MariaDB, Connector/J for the rest.
     */
    @Test
    void theGreetingNamesTheServerAndChoosesItsDriver() throws SQLException {
        ServerGreeting greeting = ServerGreeting.read(server.url("").firstAddress().orElseThrow(), Duration.ofSeconds(5)).orElseThrow();
        boolean isMariaDb;
        try (Connection connection = server.connect("")) {
            ServerVersion version = ServerVersion.of(connection);
            isMariaDb = version.isMariaDb();
            assertTrue(greeting.version().endsWith(version.version()), greeting + " vs " + version);
        }
        assertEquals(isMariaDb, greeting.isMariaDb(), greeting.toString());
        assertEquals(isMariaDb ? JdbcDriver.MARIADB_CONNECTOR_J : JdbcDriver.CONNECTOR_J,
                JdbcDriver.forServer(server.url(""), Optional.of(greeting)));
    }

    @Test
    void noGreetingWhereNothingListens() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertTrue(ServerGreeting.read(InetSocketAddress.createUnresolved("127.0.0.1", port), Duration.ofSeconds(2)).isEmpty());
    }

    /**
     * The drivers a pool may use against this test's server: Connector/J always, MariaDB Connector/J
     * for a MariaDB server only, as {@link JdbcDriver#forServer} chooses. Called after the server started.
     */
    static List<JdbcDriver> driversForThisServer() throws SQLException {
        try (Connection connection = server.connect("")) {
            return ServerVersion.of(connection).isMariaDb()
                    ? List.of(JdbcDriver.CONNECTOR_J, JdbcDriver.MARIADB_CONNECTOR_J) : List.of(JdbcDriver.CONNECTOR_J);
        }
    }

    /** Relays each accepted connection to {@code target} (host:port); once frozen, drops what the server sends. */
    private static void forward(ServerSocket proxy, String target, AtomicBoolean frozen) {
        int colon = target.lastIndexOf(':');
        String host = colon < 0 ? target : target.substring(0, colon);
        int port = colon < 0 ? 3306 : Integer.parseInt(target.substring(colon + 1));
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket upstream = new Socket(host, port);
                Thread.ofVirtual().start(() -> relay(client, upstream, new AtomicBoolean()));
                Thread.ofVirtual().start(() -> relay(upstream, client, frozen));
            } catch (IOException e) {
                return; // the proxy closed: the test is over
            }
        }
    }

    private static void relay(Socket from, Socket to, AtomicBoolean dropping) {
        byte[] buffer = new byte[16384];
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                if (!dropping.get()) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed: so does the other
        }
    }
}
