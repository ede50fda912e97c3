package dev.sqlkit.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class MysqlUrlTest {

    private static final String SETTING = "database.url (DATABASE_URL)";

    private static MysqlUrl parse(String url) {
        return MysqlUrl.parse(url, SETTING);
    }

    @Test
    void theFirstHostIsAnAddressWithItsPort() {
        assertEquals("db.example.com:3307", text(MysqlUrl.parse("mysql://u:p@db.example.com:3307/app", "u").firstAddress()));
        assertEquals("db:3306", text(MysqlUrl.parse("jdbc:mysql://db/app", "u").firstAddress()), "the default port");
        assertEquals("node1:3306", text(MysqlUrl.parse("jdbc:mysql://node1,node2:3307/app", "u").firstAddress()));
        assertEquals("::1:3310", text(MysqlUrl.parse("jdbc:mysql://[::1]:3310/app", "u").firstAddress()), "IPv6 without brackets");
        assertEquals("::1:3306", text(MysqlUrl.parse("jdbc:mysql://[::1]/app", "u").firstAddress()));
        assertEquals(Optional.empty(), MysqlUrl.parse("jdbc:mysql://address=(host=db)(port=3306)/app", "u").firstAddress());
    }

    private static String text(Optional<java.net.InetSocketAddress> address) {
        return address.map(a -> a.getHostString() + ":" + a.getPort()).orElse("none");
    }

    @Test
    void aJdbcUrlKeepsItsParametersAndLosesItsCredentials() {
        MysqlUrl url = parse("jdbc:mysql://db:3306/app?user=root&password=s3cret&sslMode=REQUIRED");
        assertEquals(List.of("db:3306"), url.hosts());
        assertEquals("app", url.database());
        assertEquals("root", url.user());
        assertEquals("s3cret", url.password());
        assertEquals("jdbc:mysql://db:3306/app?sslMode=REQUIRED", url.jdbcUrl());
        assertEquals("jdbc:mysql://db:3306/app?sslMode=REQUIRED as root", url.toString());
        assertEquals(Optional.of("REQUIRED"), url.parameter("SSLMODE"));
    }

    @Test
    void theServiceFormDecodesCredentialsAndDefaultsThePort() {
        MysqlUrl url = parse("mysql://app:p%40ss:w0rd+1@db.example.com/blog?ssl_mode=verify_identity&ssl_ca=/etc/ca%20file.pem");
        assertEquals(List.of("db.example.com:3306"), url.hosts());
        assertEquals("app", url.user());
        assertEquals("p@ss:w0rd+1", url.password(), "a '+' in the mysql:// form is a plus");
        assertEquals(Map.of("ssl_mode", "verify_identity", "ssl_ca", "/etc/ca file.pem"), url.parameters());
        assertEquals("jdbc:mysql://db.example.com:3306/blog", url.without("ssl_mode", "ssl_ca").jdbcUrl());
        assertEquals("jdbc:mysql://db.example.com:3306/blog?ssl_mode=verify_identity&ssl_ca=/etc/ca%20file.pem", url.jdbcUrl());
    }

    @Test
    void anUnencodedAtSignInAPasswordSurvives() {
        MysqlUrl url = parse("mysql://app:p@ss@db:3307/blog");
        assertEquals("p@ss", url.password());
        assertEquals(List.of("db:3307"), url.hosts());
    }

    @Test
    void severalHostsInBothForms() {
        MysqlUrl jdbc = parse("jdbc:mysql://h1:3306,h2:3307,[::1]:3308/app?user=root");
        assertEquals(List.of("h1:3306", "h2:3307", "[::1]:3308"), jdbc.hosts());
        assertTrue(jdbc.isMultiHost());
        assertEquals("jdbc:mysql://h1:3306,h2:3307,[::1]:3308/app", jdbc.jdbcUrl());

        MysqlUrl service = parse("mysql://u:pw@h1,h2:3307,[::1]/blog");
        assertEquals(List.of("h1:3306", "h2:3307", "[::1]:3306"), service.hosts());
        assertEquals("jdbc:mysql://h1:3306,h2:3307,[::1]:3306/blog", service.jdbcUrl());
        assertFalse(parse("mysql://u@h1/blog").isMultiHost());
    }

    @Test
    void replacesOnlyTheDatabase() {
        assertEquals("jdbc:mysql://db:3306/other?sslMode=REQUIRED",
                parse("jdbc:mysql://db:3306/app?sslMode=REQUIRED").withDatabase("other").jdbcUrl());
        assertEquals("jdbc:mysql://db:3306/other", parse("jdbc:mysql://db:3306").withDatabase("other").jdbcUrl());
        assertEquals("jdbc:mysql://db:3306/", parse("jdbc:mysql://db:3306/app").withDatabase("").jdbcUrl());
        assertEquals("jdbc:mysql://db:3306/x?a=b/c", parse("jdbc:mysql://db:3306?a=b/c").withDatabase("x").jdbcUrl());
        assertEquals("jdbc:mysql://[::1]:3306,h2:3307/x", parse("jdbc:mysql://[::1]:3306,h2:3307/app").withDatabase("x").jdbcUrl());
    }

    @Test
    void defaultsNeverOverrideWhatTheUserWrote() {
        MysqlUrl url = parse("jdbc:mysql://db/app?cachePrepStmts=false").withDefaults(Map.of("cachePrepStmts", "true", "useServerPrepStmts", "true"));
        assertEquals("jdbc:mysql://db/app?cachePrepStmts=false&useServerPrepStmts=true", url.jdbcUrl());
    }

    @Test
    void masksPasswordsInTextThatIsNoUrl() {
        assertEquals("jdbc:mysql://db:3306/app?user=root&password=***&sslMode=REQUIRED",
                MysqlUrl.mask("jdbc:mysql://db:3306/app?user=root&password=s3cret&sslMode=REQUIRED"));
        assertEquals("jdbc:mysql://root:***@db:3306/app", MysqlUrl.mask("jdbc:mysql://root:hunter2@db:3306/app"));
        assertEquals("postgres://root:***@db/app", MysqlUrl.mask("postgres://root:p@ss@db/app"));
        assertEquals("jdbc:mysql://db/app?PASSWORD=***", MysqlUrl.mask("jdbc:mysql://db/app?PASSWORD=x"));
        assertNull(MysqlUrl.mask(null));
    }

    @Test
    void mistakesNameTheSettingAndTheExpectedForm() {
        assertMessage("postgres://u:hunter2@db/app", SETTING + " must start with jdbc:mysql:// or mysql://");
        assertMessage("mysql://db:3306/", SETTING + " names no database");
        assertMessage("mysql://u:pw@/blog", SETTING + " has no host");
        assertMessage("mysql://u:pw@h1,,h2/blog", SETTING + " has no host after h1:3306");
        assertMessage("mysql://u:pw@db:port/blog", "has the port 'port' for host db");
        assertMessage("  ", SETTING + " is empty");
    }

    private static void assertMessage(String url, String expected) {
        MysqlSetupException error = assertThrows(MysqlSetupException.class, () -> parse(url));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }
}
