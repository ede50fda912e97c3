package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Against the server SQLKIT_DB_URL (or -Dsqlkit.db.url) names; skipped without one. */
class TrueVersionMetadataTest {

    @Test
    void aMariaDbIsNamedMariaDbWithItsOwnVersionAndEverythingElseIsTheDriversConnection() throws SQLException {
        ProvisionSettings settings = ProvisionSettings.from(System::getProperty, null);
        assumeTrue(settings.url() != null, "no explicit server configured");
        MysqlUrl url = MysqlUrl.parse(settings.url(), settings.urlSource());
        try (Connection raw = ConnectorJ.connect(url, Duration.ofSeconds(10))) {
            ServerVersion server = ServerVersion.of(raw);
            Connection connection = TrueVersionMetadata.of(raw);
            if (!server.isMariaDb()) {
                assertSame(raw, connection);
                return;
            }
            DatabaseMetaData metaData = connection.getMetaData();
            assertEquals("MariaDB", metaData.getDatabaseProductName());
            assertEquals(server.version(), metaData.getDatabaseProductVersion());
            assertEquals(server.major(), metaData.getDatabaseMajorVersion());
            assertEquals(server.minor(), metaData.getDatabaseMinorVersion());
            assertSame(connection, metaData.getConnection());
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT 42")) {
                row.next();
                assertEquals(42, row.getInt(1));
            }
        }
    }
}
