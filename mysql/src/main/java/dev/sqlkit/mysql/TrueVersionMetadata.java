package dev.sqlkit.mysql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Connections whose {@link DatabaseMetaData} names a MariaDB server as MariaDB, with its own version.
 *
 * <p>MariaDB before 11.0 puts {@code 5.5.5-} before its version (for MySQL clients of long ago), and
 * Connector/J reports that as product {@code MySQL}, version 5.5. Tools that read the metadata take
 * it at its word: Flyway logs {@code (MySQL 5.5)} for a MariaDB 10.11 (and {@code (MySQL 11.4)} for
 * a MariaDB 11.4, whose version has no prefix but whose product is still called MySQL), and jOOQ
 * judges the server older than its dialect. Wrapping the connection they are handed fixes what they
 * read, and nothing else: every other call goes to the driver's connection unchanged. A MySQL server,
 * or a driver that names MariaDB itself, gets its connection back as it is.
 */
public final class TrueVersionMetadata {

    private static final String MARIADB = "MariaDB";

    private TrueVersionMetadata() {
    }

    /** {@code connection} itself, or, for a MariaDB that Connector/J reports as MySQL, a wrapper. */
    public static Connection of(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        ServerVersion version = ServerVersion.of(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
        if (!version.isMariaDb() || MARIADB.equals(metaData.getDatabaseProductName())) {
            return connection;
        }
        ConnectionHandler handler = new ConnectionHandler(connection);
        Connection wrapper = (Connection) Proxy.newProxyInstance(TrueVersionMetadata.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        handler.metaData = (DatabaseMetaData) Proxy.newProxyInstance(TrueVersionMetadata.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, new MetaDataHandler(metaData, wrapper, version));
        return wrapper;
    }

    /** A data source whose connections are those of {@code dataSource}, passed through {@link #of(Connection)}. */
    public static DataSource of(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(TrueVersionMetadata.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "getConnection" -> of((Connection) forward(dataSource, method, arguments));
                    case "equals" -> proxy == arguments[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "TrueVersionMetadata[" + dataSource + "]";
                    default -> forward(dataSource, method, arguments);
                });
    }

    private static Object forward(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;
        private DatabaseMetaData metaData;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            return switch (method.getName()) {
                case "getMetaData" -> metaData;
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "TrueVersionMetadata[" + connection + "]";
                default -> forward(connection, method, arguments);
            };
        }
    }

    private record MetaDataHandler(DatabaseMetaData metaData, Connection connection, ServerVersion version)
            implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            return switch (method.getName()) {
                case "getDatabaseProductName" -> MARIADB;
                case "getDatabaseProductVersion" -> version.version();
                case "getDatabaseMajorVersion" -> version.major();
                case "getDatabaseMinorVersion" -> version.minor();
                case "getConnection" -> connection;
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "TrueVersionMetadata[" + metaData + "]";
                default -> forward(metaData, method, arguments);
            };
        }
    }
}
