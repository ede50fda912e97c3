package dev.sqlkit.server.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.task.InterruptableTask;
import io.helidon.config.Config;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * HTTP/1.1 connections that close in stages after an early answer (RFC 9112 section 9.6).
 *
 * <p>Helidon answers a request it rejects before routing (a body over {@code max-payload-size}: 413,
 * malformed HTTP: 400, too many requests: 503) and closes the socket at once, with the rest of the
 * body unread; so it does after a route's answer when skipping the unread body fails (a chunked body
 * over the limit). Closing a socket with unread input makes the kernel send a reset, which destroys the
 * answer in the client's receive buffer: a client that writes its whole body before it reads
 * (Python's http.client, curl without Expect, a plain socket) sees "connection reset" or "broken
 * pipe" instead of the problem document.
 *
 * <p>So after such an answer (which already says {@code Connection: close} and has a
 * {@code Content-Length}, so the client knows where it ends), the connection reads and discards what
 * the client still sends, until the client closes, stops sending for {@link #IDLE}, or has sent
 * {@link #MAX_DISCARD} or for {@link #MAX_LINGER}; only then is the socket closed. The amount and the
 * time are bounded, so a client cannot keep a connection busy forever. Helidon's socket API offers
 * no half-close of the output, so the answer's framing stands in for the FIN.
 *
 * <p>The connections are Helidon's own {@code Http1Connection}, wrapped; this selector is placed
 * before Helidon's discovered one, so every HTTP/1.1 connection is one of these.
 */
public final class LingeringClose implements ServerConnectionSelector {

    /** The whole discard after an early answer takes at most this long. */
    static final Duration MAX_LINGER = Duration.ofSeconds(10);
    /** A client that sends nothing for this long is not going to read the answer differently. */
    static final Duration IDLE = Duration.ofSeconds(2);
    /** At most this much is read and thrown away: a 100 MiB upload still gets its 413, a firehose does not. */
    static final long MAX_DISCARD = 256L * 1024 * 1024;

    private static final Logger LOGGER = Logger.getLogger(LingeringClose.class.getName());

    private final Http1ConnectionSelector http1;

    private LingeringClose(Http1ConnectionSelector http1) {
        this.http1 = http1;
    }

    /** With the HTTP/1.1 settings of {@code server.protocols.http_1_1}, Helidon's defaults where unset. */
    public static LingeringClose selector(Config server) {
        Http1Config http1 = Http1Config.create(server.get("protocols").get("http_1_1"));
        return new LingeringClose(Http1ConnectionSelector.builder().config(http1).build());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Lingering(ctx, http1.connection(ctx), new AtomicBoolean(), new AtomicReference<>());
    }

    /**
     * Helidon's connection; when its request loop ends by itself (an early answer), the discard.
     *
     * @param closeRequested the server asked the connection to stop: no discard then
     * @param lingering      the thread reading the discarded input, while it does
     */
    private record Lingering(ConnectionContext ctx, ServerConnection delegate, AtomicBoolean closeRequested,
                             AtomicReference<Thread> lingering) implements ServerConnection, InterruptableTask<Void> {

        /**
         * Helidon's loop returns normally only after it wrote an early answer (or when the server asked
         * it to stop). It ends with CloseConnectionException when the client closed, or when a route
         * answered without reading the body and the rest could not be skipped (a chunked body over the
         * limit): then the answer is out and unread input may follow, so the discard runs too; after a
         * client's close it ends at the first read. An I/O failure ends it with other exceptions.
         */
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } catch (CloseConnectionException e) {
                if (!closeRequested.get()) {
                    discardInput();
                }
                throw e;
            }
            if (!closeRequested.get()) {
                discardInput();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            closeRequested.set(true);
            delegate.close(interrupt);
            Thread thread = lingering.get();
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public boolean canInterrupt() {
            return lingering.get() != null || delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }

        /**
         * Reads until the client closes or a bound is reached. A read cannot be given a timeout through
         * Helidon's socket, so a watchdog interrupts it; an interrupted socket read closes the socket,
         * which is what the bound means anyway.
         */
        private void discardInput() {
            ctx.dataWriter().flush();
            HelidonSocket socket = ctx.serverSocket();
            Thread reader = Thread.currentThread();
            lingering.set(reader);
            long start = System.nanoTime();
            AtomicLong lastRead = new AtomicLong(start);
            Thread watchdog = Thread.ofVirtual().name("linger-watchdog").start(() -> {
                try {
                    while (true) {
                        long now = System.nanoTime();
                        long deadline = Math.min(start + MAX_LINGER.toNanos(), lastRead.get() + IDLE.toNanos());
                        if (now >= deadline) {
                            reader.interrupt();
                            return;
                        }
                        Thread.sleep(Duration.ofNanos(Math.min(deadline - now, Duration.ofMillis(100).toNanos())));
                    }
                } catch (InterruptedException e) {
                    // the discard ended first
                }
            });
            long discarded = 0;
            try {
                while (discarded < MAX_DISCARD && !closeRequested.get()) {
                    byte[] read = socket.get();
                    if (read == null) {
                        break;
                    }
                    discarded += read.length;
                    lastRead.set(System.nanoTime());
                }
            } catch (RuntimeException e) {
                // the client reset the connection, or the watchdog ended the wait: close either way
                LOGGER.log(Level.FINE, "discard after an early answer ended", e);
            } finally {
                watchdog.interrupt();
                lingering.set(null);
                Thread.interrupted();
            }
            long bytes = discarded;
            LOGGER.fine(() -> "discarded " + bytes + " unread request bytes after an early answer");
        }
    }
}
