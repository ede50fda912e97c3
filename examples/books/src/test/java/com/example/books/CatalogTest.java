package com.example.books;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.flywaydb.core.Flyway;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DataSourceConnectionProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mysql.cj.jdbc.MysqlDataSource;

import dev.sqlkit.mysql.JooqVersionCheck;
import dev.sqlkit.mysql.ServerVersion;
import dev.sqlkit.mysql.TrueVersionMetadata;

/**
 * The generated BOOKS and LOANS classes against a real server: a database of its own, migrated
 * with the same files the classes were generated from. The server is SQLKIT_DB_URL's, else the
 * MariaDB or MySQL on 127.0.0.1:3306 as root.
 */
class CatalogTest {

    private static final String SERVER = System.getenv().getOrDefault("SQLKIT_DB_URL",
            "jdbc:mysql://127.0.0.1:3306/?user=root");
    private static final String DATABASE = "books_example_" + Integer.toHexString(ThreadLocalRandom.current().nextInt());

    private static MysqlDataSource dataSource;
    private static Catalog catalog;

    @BeforeAll
    static void migrate() throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        dataSource = new MysqlDataSource();
        dataSource.setUrl(SERVER.replaceFirst("/\\?", "/" + DATABASE + "?") + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
        Flyway.configure().dataSource(TrueVersionMetadata.of(dataSource)).load().migrate();
        SQLDialect dialect;
        try (Connection connection = dataSource.getConnection()) {
            ServerVersion version = ServerVersion.of(connection);
            JooqVersionCheck.acceptIfSupported(version);
            dialect = version.isMariaDb() ? SQLDialect.MARIADB : SQLDialect.MYSQL;
        }
        catalog = new Catalog(DSL.using(new DataSourceConnectionProvider(dataSource), dialect));
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection(SERVER); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    @Test
    void aLentBookIsNoLongerAvailable() {
        Catalog.Book dune = catalog.add("Dune", "Frank Herbert");
        Catalog.Book emma = catalog.add("Emma", "Jane Austen");
        assertTrue(dune.isAvailable());

        catalog.lend(dune.id(), "Ada", Instant.parse("2026-12-01T10:15:30Z"));

        List<Catalog.Book> available = catalog.available();
        assertEquals(List.of(emma), available);
    }
}
