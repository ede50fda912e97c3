package dev.sqlkit.mysql;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The read timeout of every database connection sqlkit's pools open, kept by one watchdog thread:
 * a read that has waited {@link #READ_TIMEOUT} for the server closes the socket, and the driver fails
 * that query as a broken connection, as it does with its own {@code socketTimeout}. Without either, a
 * connection whose server froze or whose network vanished would block its caller forever. The
 * drivers get these sockets from their socket factories: {@link WatchedSockets} for Connector/J,
 * {@link MariaDbWatchedSockets} for MariaDB Connector/J.
 *
 * <p>Why not the drivers' {@code socketTimeout}: every read then waits with a deadline, and on a
 * virtual thread (the web server's) each one schedules and cancels a timer task with the JVM's
 * scheduler, which wakes a thread for it: 1.4 of the 1.9 thread wake-ups (futex calls) per point
 * select and a tenth of the server's CPU. Here a read costs two writes of a field, and the watchdog
 * looks once a second.
 *
 * <p>The timeout applies to every read once the connection is set up (the handshake keeps the
 * driver's connect timeout), TLS connections included: their records are read from this socket.
 * This class needs neither driver.
 */
public final class ReadWatchdog {

    /** Every query of a service takes milliseconds; a read that waits this long means the server or the network is gone. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The system property that sets another read timeout, in milliseconds (e.g. for a service that
     * runs minute-long reports), read when a connection opens.
     */
    public static final String READ_TIMEOUT_PROPERTY = "sqlkit.db.read-timeout-millis";

    private static final Logger LOGGER = Logger.getLogger(ReadWatchdog.class.getName());

    private static final Set<Watched> OPEN = ConcurrentHashMap.newKeySet();

    private static final Duration WATCH_PERIOD = Duration.ofSeconds(1);

    // One daemon thread for every watched socket of the JVM. A driver loads this class only when it
    // opens its first connection through one of the factories, so a JVM that never does starts no thread.
    static {
        Thread.ofPlatform().daemon().name("sqlkit-db-read-watchdog").start(() -> {
            while (true) {
                LockSupport.parkNanos(WATCH_PERIOD.toNanos());
                long now = System.nanoTime();
                for (Watched socket : OPEN) {
                    socket.closeIfStuck(now);
                }
            }
        });
    }

    private ReadWatchdog() {
    }

    /**
     * A new, unconnected socket whose reads are watched once the driver has connected it.
     *
     * @param answersAvailable whether {@code InputStream.available()} answers 0 without asking the
     *                         kernel: only for a driver that asks merely to skip what a previous
     *                         answer left unread (Connector/J; see {@code TimedInput.available})
     */
    static Socket newSocket(boolean answersAvailable) {
        return new Watched(Duration.ofMillis(Long.getLong(READ_TIMEOUT_PROPERTY, READ_TIMEOUT.toMillis())).toNanos(),
                answersAvailable);
    }

    /** A socket whose reads say when they started, until it is closed. */
    private static final class Watched extends Socket {

        private final long timeoutNanos;
        private final boolean answersAvailable;
        /** When the read in progress began (never 0 then), or 0 between reads. */
        private volatile long readingSince;
        private InputStream input;

        Watched(long timeoutNanos, boolean answersAvailable) {
            this.timeoutNanos = timeoutNanos;
            this.answersAvailable = answersAvailable;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (input == null) {
                input = new TimedInput(super.getInputStream());
                OPEN.add(this);
            }
            return input;
        }

        @Override
        public synchronized void close() throws IOException {
            OPEN.remove(this);
            super.close();
        }

        /** Closes the socket if its read has waited too long; called by the watchdog only. */
        void closeIfStuck(long now) {
            long since = readingSince;
            if (since != 0 && now - since > timeoutNanos) {
                LOGGER.warning("closing a database connection to " + getRemoteSocketAddress() + ": no answer for "
                        + Duration.ofNanos(now - since).toMillis() + " ms (" + READ_TIMEOUT_PROPERTY + ")");
                try {
                    close();
                } catch (IOException e) {
                    // closing is all that was wanted; the blocked read fails either way
                }
            }
        }

        private final class TimedInput extends FilterInputStream {

            TimedInput(InputStream in) {
                super(in);
            }

            /**
             * For Connector/J, nothing, without asking the kernel. It asks before every command, to skip
             * bytes a previous answer left unread; it reads every answer to its end, and between two
             * answers the server sends nothing but, when it ends the connection, a last error packet,
             * which the next read then reports instead of an end of stream: the same broken connection.
             * The question was one system call (ioctl FIONREAD) per query. What the driver has buffered
             * above this stream it still counts itself. The JDK's TLS layer over this socket asks too,
             * only as it closes, to drain what is left: it now drains nothing, which at worst ends a
             * closing connection with a reset instead of a clean close.
             */
            @Override
            public int available() throws IOException {
                return answersAvailable ? 0 : in.available();
            }

            @Override
            public int read() throws IOException {
                readingSince = System.nanoTime() | 1;
                try {
                    return in.read();
                } finally {
                    readingSince = 0;
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                readingSince = System.nanoTime() | 1;
                try {
                    return in.read(buffer, offset, length);
                } finally {
                    readingSince = 0;
                }
            }
        }
    }
}
