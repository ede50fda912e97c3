package dev.sqlkit.examples;

import static dev.sqlkit.db.Tables.ORGS;
import static dev.sqlkit.db.Tables.USERS;
import static org.jooq.Records.mapping;
import static org.jooq.impl.DSL.count;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sqlkit.dal.Dal;
import dev.sqlkit.dal.Migrations;
import dev.sqlkit.dal.NewOrg;
import dev.sqlkit.dal.NewUser;
import dev.sqlkit.dal.Org;
import dev.sqlkit.mysql.HikariPools;
import dev.sqlkit.mysql.MysqlUrl;
import dev.sqlkit.mysql.ProvisionSettings;

/**
 * Creates an org with one member through the dal's repositories, reads it back by name, and lists
 * the newest orgs with their member counts through a query of its own against the generated tables.
 *
 * <p>The database comes from {@code -Dsqlkit.db.url} or, failing that, the environment variable
 * {@code SQLKIT_DB_URL}: a Connector/J URL that names a database, for example {@value #EXAMPLE_URL}.
 */
public final class Main {

    static final String EXAMPLE_URL = "jdbc:mysql://127.0.0.1:3306/sqlkit_example?createDatabaseIfNotExist=true&user=root";
    static final String MISSING_URL = "no database configured: set the environment variable SQLKIT_DB_URL (or -Dsqlkit.db.url)"
            + " to a JDBC URL that names a database, e.g. " + EXAMPLE_URL;

    /** An org and how many users belong to it. */
    public record OrgMembers(String org, int members) {
    }

    /**
     * What {@link #run} saw.
     *
     * @param created     the org as the repository's create returned it
     * @param foundByName the same org read back with {@code findByName}
     * @param newestOrgs  the newest orgs (at most {@value #NEWEST}) with their member counts, from the
     *                    example's own query, newest first
     */
    public record Outcome(Org created, Optional<Org> foundByName, List<OrgMembers> newestOrgs) {
    }

    static final int NEWEST = 5;

    private Main() {
    }

    public static void main(String[] args) {
        String url = configuredUrl().orElseThrow(() -> new IllegalStateException(MISSING_URL));
        try (HikariDataSource dataSource = dataSource(url)) {
            Outcome outcome = run(dataSource, "example-" + UUID.randomUUID());
            System.out.println("created:        " + outcome.created());
            System.out.println("found by name:  " + outcome.foundByName().orElse(null));
            System.out.println("newest orgs and their members:");
            outcome.newestOrgs().forEach(row -> System.out.println("  " + row.org() + ": " + row.members()));
        }
    }

    /** The configured JDBC URL: the system property wins over the environment variable. */
    static Optional<String> configuredUrl() {
        return Optional.ofNullable(ProvisionSettings.from(System::getProperty, null).url());
    }

    /**
     * A small pool with the driver settings sqlkit's own services use, whose sessions run in UTC,
     * which the dal requires (it stores UTC timestamps).
     */
    static HikariDataSource dataSource(String url) {
        MysqlUrl database = MysqlUrl.parse(url, "SQLKIT_DB_URL (or -Dsqlkit.db.url)");
        HikariConfig config = HikariPools.config(database, "library-usage", 2, Duration.ofSeconds(5));
        return new HikariDataSource(config);
    }

    /** Migrates the database, then creates the org {@code orgName} with one member and reads it back both ways. */
    static Outcome run(DataSource dataSource, String orgName) {
        Migrations.migrate(dataSource);
        Dal dal = Dal.create(dataSource);

        Org created = dal.orgs().create(new NewOrg(orgName, "Created by the library-usage example", null));
        dal.users().create(new NewUser("member-" + UUID.randomUUID() + "@example.test", "Example member", null, created.id()));
        Optional<Org> foundByName = dal.orgs().findByName(orgName);

        // A query the dal has no method for, type-checked against the generated classes: a renamed
        // or dropped column would make this a compile error, not a runtime one.
        List<OrgMembers> newestOrgs = dal.dsl()
                .select(ORGS.NAME, count(USERS.ID))
                .from(ORGS)
                .leftJoin(USERS).on(USERS.ORG_ID.eq(ORGS.ID))
                .groupBy(ORGS.ID, ORGS.NAME)
                .orderBy(ORGS.ID.desc())
                .limit(NEWEST)
                .fetch(mapping(OrgMembers::new));

        return new Outcome(created, foundByName, newestOrgs);
    }
}
