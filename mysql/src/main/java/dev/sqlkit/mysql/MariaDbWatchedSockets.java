package dev.sqlkit.mysql;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * MariaDB Connector/J's sockets ({@code socketFactory=dev.sqlkit.mysql.MariaDbWatchedSockets}) with
 * the read timeout of {@link ReadWatchdog}. The driver asks for an unconnected socket
 * ({@link #createSocket()}) and connects it itself, with its connect timeout; the other methods are
 * {@link SocketFactory}'s contract and connect at once.
 */
public class MariaDbWatchedSockets extends SocketFactory {

    /** The driver instantiates the factory by its class name, once per connection. */
    public MariaDbWatchedSockets() {
    }

    @Override
    public Socket createSocket() {
        return ReadWatchdog.newSocket(false);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket socket = ReadWatchdog.newSocket(false);
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
