package dev.sqlkit.mysql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Which member of the MySQL family answers, and its version. They differ in what tools care about:
 * jOOQ's dialect and metadata reader, {@code INSERT ... RETURNING}, JSON and defaults.
 *
 * @param flavor  MySQL (also Vitess / PlanetScale, which speak its protocol) or MariaDB
 * @param version the server's version string without the {@code 5.5.5-} that MariaDB puts before
 *                it for the sake of old MySQL clients, e.g. {@code 11.4.5-MariaDB} or {@code 8.4.3}
 */
public record ServerVersion(Flavor flavor, String version) {

    /** The member of the family. */
    public enum Flavor { MYSQL, MARIADB }

    /** From the product name and version a driver reports. */
    public static ServerVersion of(String productName, String productVersion) {
        String version = String.valueOf(productVersion).replaceFirst("^5\\.5\\.5-", "");
        boolean isMariaDb = (productName + " " + productVersion).toLowerCase(Locale.ROOT).contains("mariadb");
        return new ServerVersion(isMariaDb ? Flavor.MARIADB : Flavor.MYSQL, version);
    }

    /** Of the server {@code connection} talks to; asks the driver, sends nothing. */
    public static ServerVersion of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        return of(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
    }

    public boolean isMariaDb() {
        return flavor == Flavor.MARIADB;
    }

    /** E.g. {@code 11.4.5-MariaDB} or {@code MySQL 8.4.3}: the product is always named. */
    @Override
    public String toString() {
        return version.toLowerCase(Locale.ROOT).contains("mariadb") ? version : (isMariaDb() ? "MariaDB " : "MySQL ") + version;
    }
}
