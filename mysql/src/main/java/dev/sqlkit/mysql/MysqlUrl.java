package dev.sqlkit.mysql;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address of a MySQL-family database, parsed once from either form users give:
 * <ul>
 * <li>Connector/J's {@code jdbc:mysql://[user[:password]@]host[:port][,host[:port]...]/[database][?key=value&...]};</li>
 * <li>the form of the replaced services and most hosting providers,
 * {@code mysql://user:password@host[:port][,host[:port]...]/database[?ssl_mode=...&ssl_ca=...]}
 * (also {@code mariadb://}), where the port defaults to 3306 and a database is required.</li>
 * </ul>
 * Credentials are taken out of the URL (from the user info or the {@code user} / {@code password}
 * parameters), so that {@link #jdbcUrl()} and {@link #toString()} can be logged as they are.
 * Several hosts are kept in order: Connector/J connects to the first that answers and fails over
 * to the next.
 *
 * @param hosts      {@code host[:port]} in the order given; IPv6 literals in brackets
 * @param database   the database, empty for none
 * @param parameters the remaining query parameters, decoded, in the order given
 * @param user       the user, or {@code null}
 * @param password   the password, or {@code null}; never part of any rendering
 */
public record MysqlUrl(List<String> hosts, String database, Map<String, String> parameters, String user,
        String password) {

    private static final String JDBC_PREFIX = "jdbc:mysql://";
    private static final List<String> SERVICE_PREFIXES = List.of("mysql://", "mariadb://");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?]*:)[^/?]*@");
    private static final String EXAMPLES = "e.g. jdbc:mysql://host:3306/db?user=app or"
            + " mysql://user:password@host:3306/db?ssl_mode=verify_identity&ssl_ca=/path/ca.pem";

    public MysqlUrl {
        hosts = List.copyOf(hosts);
        database = database == null ? "" : database;
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Parses {@code url}; a mistake fails with a message that starts with {@code setting} (where
     * the URL came from, e.g. {@code database.url (DATABASE_URL)}) and says what is expected.
     *
     * @throws MysqlSetupException if {@code url} is not one of the two forms
     */
    public static MysqlUrl parse(String url, String setting) {
        if (url == null || url.isBlank()) {
            throw new MysqlSetupException(setting + " is empty; " + EXAMPLES);
        }
        String text = url.strip();
        boolean isJdbc = text.startsWith(JDBC_PREFIX);
        String prefix = isJdbc ? JDBC_PREFIX
                : SERVICE_PREFIXES.stream().filter(text::startsWith).findFirst().orElse(null);
        if (prefix == null) {
            throw new MysqlSetupException(setting + " must start with jdbc:mysql:// or mysql:// (it is " + mask(text)
                    + "), " + EXAMPLES);
        }
        String rest = text.substring(prefix.length());
        int fragment = rest.indexOf('#');
        if (fragment >= 0) {
            rest = rest.substring(0, fragment);
        }
        int queryStart = rest.indexOf('?');
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        // The user info ends at the last '@' before the path, so an unencoded '@' in a password survives.
        int pathStart = beforeQuery.indexOf('/', Math.max(0, beforeQuery.lastIndexOf('@')));
        String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);
        String database = pathStart < 0 ? "" : decode(beforeQuery.substring(pathStart + 1), !isJdbc);

        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), !isJdbc);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), !isJdbc);
        }

        List<String> hosts = new ArrayList<>();
        for (String host : splitHosts(authority)) {
            if (host.isBlank() || host.startsWith(":")) {
                throw new MysqlSetupException(setting + " has no host" + (hosts.isEmpty() ? "" : " after " + String.join(",", hosts))
                        + "; expected " + (isJdbc ? "jdbc:mysql://host:3306/database" : "mysql://user:password@host:3306/database")
                        + " (several hosts: host1:3306,host2:3306)");
            }
            hosts.add(isJdbc ? host : withDefaultPort(host, setting));
        }
        if (hosts.isEmpty()) {
            throw new MysqlSetupException(setting + " has no host; expected "
                    + (isJdbc ? "jdbc:mysql://host:3306/database" : "mysql://user:password@host:3306/database"));
        }
        if (!isJdbc && database.isEmpty()) {
            throw new MysqlSetupException(setting + " names no database; expected mysql://user:password@host:3306/database");
        }

        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals), !isJdbc);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), !isJdbc);
            if (key.equalsIgnoreCase("user")) {
                user = user != null ? user : value;
            } else if (key.equalsIgnoreCase("password")) {
                password = password != null ? password : value;
            } else {
                parameters.put(key, value);
            }
        }
        return new MysqlUrl(hosts, database, parameters, user, password);
    }

    /** Whether more than one host is listed (Connector/J then fails over between them). */
    public boolean isMultiHost() {
        return hosts.size() > 1;
    }

    /** The Connector/J URL, without credentials: pass {@link #user()} and {@link #password()} beside it. */
    public String jdbcUrl() {
        return jdbcUrl(JDBC_PREFIX);
    }

    /** The URL for another driver's scheme, e.g. {@code jdbc:mariadb://}; without credentials. */
    public String jdbcUrl(String scheme) {
        StringBuilder url = new StringBuilder(scheme).append(String.join(",", hosts)).append('/').append(database);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    /**
     * The first host as an unresolved address (IPv6 without its brackets; port 3306 where the URL
     * gives none, as the drivers assume), or empty for a host written in Connector/J's
     * {@code address=(...)} form.
     */
    public Optional<InetSocketAddress> firstAddress() {
        String host = hosts.isEmpty() ? "" : hosts.get(0);
        if (host.isEmpty() || host.contains("=")) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > 0 && !host.endsWith("]") && (!host.startsWith("[") || host.charAt(colon - 1) == ']');
        try {
            return Optional.of(InetSocketAddress.createUnresolved(
                    (hasPort ? host.substring(0, colon) : host).replace("[", "").replace("]", ""),
                    hasPort ? Integer.parseInt(host.substring(colon + 1)) : 3306));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The same server, user and parameters, with another database ({@code ""} for none). */
    public MysqlUrl withDatabase(String otherDatabase) {
        return new MysqlUrl(hosts, otherDatabase, parameters, user, password);
    }

    /** The same address with other credentials. */
    public MysqlUrl withCredentials(String otherUser, String otherPassword) {
        return new MysqlUrl(hosts, database, parameters, otherUser, otherPassword);
    }

    /** These parameters added where the URL does not set them already: what the user wrote wins. */
    public MysqlUrl withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new LinkedHashMap<>(parameters);
        defaults.forEach((key, value) -> {
            if (parameter(key).isEmpty()) {
                merged.put(key, value);
            }
        });
        return new MysqlUrl(hosts, database, merged, user, password);
    }

    /** Without the named parameters (names compare case-insensitively, as Connector/J's do). */
    public MysqlUrl without(String... names) {
        Map<String, String> kept = new LinkedHashMap<>(parameters);
        for (String name : names) {
            kept.keySet().removeIf(key -> key.equalsIgnoreCase(name));
        }
        return new MysqlUrl(hosts, database, kept, user, password);
    }

    /** A parameter's value; names compare case-insensitively. */
    public Optional<String> parameter(String name) {
        return parameters.entrySet().stream()
                .filter(parameter -> parameter.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The URL and user as they may be shown in logs and messages; never the password. */
    @Override
    public String toString() {
        return jdbcUrl() + (user != null && !user.isEmpty() ? " as " + user : "");
    }

    /**
     * Any text with the passwords of URLs in it replaced by {@code ***}: for echoing input that could
     * not be parsed, where {@link #toString()} is not available.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(text).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }

    /** Splits at commas outside brackets and parentheses, which IPv6 literals and address=(...) use. */
    private static List<String> splitHosts(String authority) {
        List<String> hosts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                hosts.add(authority.substring(start, i));
                start = i + 1;
            }
        }
        if (start < authority.length() || !hosts.isEmpty()) {
            hosts.add(authority.substring(start));
        }
        return hosts;
    }

    private static String withDefaultPort(String host, String setting) {
        int portColon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.indexOf(':');
        if (!host.startsWith("[") && host.indexOf(':') != host.lastIndexOf(':')) {
            return "[" + host + "]:3306"; // a bare IPv6 literal
        }
        if (portColon < 0) {
            return host + ":3306";
        }
        String port = host.substring(portColon + 1);
        if (!port.matches("\\d{1,5}")) {
            throw new MysqlSetupException(setting + " has the port '" + port + "' for host " + host.substring(0, portColon)
                    + "; give a number, e.g. " + host.substring(0, portColon) + ":3306");
        }
        return host;
    }

    /**
     * Percent-decoding. In the mysql:// form a '+' is a plus (passwords contain them); Connector/J
     * itself reads '+' in a jdbc:mysql:// URL as a space, and so does this.
     */
    private static String decode(String text, boolean isPlusLiteral) {
        try {
            return URLDecoder.decode(isPlusLiteral ? text.replace("+", "%2B") : text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a stray '%' is meant literally
        }
    }

    /** Encodes only what would break the URL apart, so rendered URLs stay readable in logs. */
    private static String encode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '%' -> encoded.append("%25");
                case '&' -> encoded.append("%26");
                case '#' -> encoded.append("%23");
                case '+' -> encoded.append("%2B");
                case ' ' -> encoded.append("%20");
                default -> encoded.append(c);
            }
        }
        return encoded.toString();
    }
}
