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

    /** The major version, e.g. {@code 10} of {@code 10.11.19-MariaDB}; 0 when the string has none. */
    public int major() {
        return versionPart(0);
    }

    /** The minor version, e.g. {@code 11} of {@code 10.11.19-MariaDB}; 0 when the string has none. */
    public int minor() {
        return versionPart(1);
    }

    /**
     * Whether sqlkit supports this server: MySQL 8.0 or newer, MariaDB 10.11 or newer. Migrations
     * and the generated code are tested on MySQL 8.4, MariaDB 10.11 and MariaDB 11.4.
     */
    public boolean isSupported() {
        int[] oldest = isMariaDb() ? new int[] {10, 11} : new int[] {8, 0};
        return major() > oldest[0] || (major() == oldest[0] && minor() >= oldest[1]);
    }

    private int versionPart(int index) {
        String[] parts = version.split("[^0-9]", 4);
        if (parts.length <= index || parts[index].isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[index]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** E.g. {@code 11.4.5-MariaDB} or {@code MySQL 8.4.3}: the product is always named. */
    @Override
    public String toString() {
        return version.toLowerCase(Locale.ROOT).contains("mariadb") ? version : (isMariaDb() ? "MariaDB " : "MySQL ") + version;
    }
}
