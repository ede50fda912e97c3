package dev.sqlkit.mysql;

import java.net.Socket;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;

/**
 * Connector/J's sockets ({@code socketFactory=dev.sqlkit.mysql.WatchedSockets}) with the read timeout
 * of {@link ReadWatchdog}, which also answers the driver's "how many bytes wait unread?", asked before
 * every command, without a system call. Needs {@code com.mysql:mysql-connector-j}.
 */
public class WatchedSockets extends StandardSocketFactory {

    /** Connector/J instantiates the factory by its class name, once per connection. */
    public WatchedSockets() {
    }

    @Override
    protected Socket createSocket(PropertySet properties) {
        return ReadWatchdog.newSocket(true);
    }
}
