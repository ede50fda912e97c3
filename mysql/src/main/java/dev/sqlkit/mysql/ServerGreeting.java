package dev.sqlkit.mysql;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * What a MySQL-family server says of itself before anyone logs in: the first packet of the protocol
 * (the initial handshake, version 10), which names the server's version and its capabilities. It
 * tells MariaDB from MySQL, Vitess and the rest, and whether TLS is on offer, before a driver has
 * to be chosen; reading it costs a TCP connection and no login.
 *
 * @param version      as the server sends it, e.g. {@code 5.5.5-10.11.19-MariaDB-0+deb12u1} or {@code 8.4.3}
 * @param capabilities the lower 16 bits of the server's capability flags
 */
public record ServerGreeting(String version, int capabilities) {

    /** CLIENT_SSL: the server can switch the connection to TLS. */
    private static final int CLIENT_SSL = 0x0800;
    private static final int PROTOCOL_VERSION = 10;

    /**
     * The greeting of the server at {@code address} ({@link MysqlUrl#firstAddress()}), or empty when
     * none comes within {@code timeout}: nothing listens, the server refuses this host (its greeting
     * is then an error packet), or it speaks another protocol. The connection is closed right after
     * the greeting; a driver's next login from this host resets the server's count of such
     * interrupted connections.
     */
    public static Optional<ServerGreeting> read(InetSocketAddress address, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), millis);
            socket.setSoTimeout(millis);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[4];
            in.readFully(header);
            int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
            if (length < 1 || length > 4096) {
                return Optional.empty();
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return parse(payload);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The greeting in a handshake packet's payload; empty for an error packet or another protocol. */
    static Optional<ServerGreeting> parse(byte[] payload) {
        if (payload.length == 0 || payload[0] != PROTOCOL_VERSION) {
            return Optional.empty();
        }
        int end = 1;
        while (end < payload.length && payload[end] != 0) {
            end++;
        }
        // version NUL, connection id (4), first 8 bytes of the scramble, a filler byte, then the flags
        int flags = end + 1 + 4 + 8 + 1;
        if (end == payload.length || flags + 2 > payload.length) {
            return Optional.empty();
        }
        String version = new String(payload, 1, end - 1, StandardCharsets.UTF_8);
        return Optional.of(new ServerGreeting(version, (payload[flags] & 0xff) | (payload[flags + 1] & 0xff) << 8));
    }

    /** MariaDB (or a proxy that presents itself as MariaDB, such as MaxScale). */
    public boolean isMariaDb() {
        return version.contains("MariaDB");
    }

    /** Whether the server offers TLS on this port. */
    public boolean offersTls() {
        return (capabilities & CLIENT_SSL) != 0;
    }
}
