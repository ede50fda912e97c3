package dev.sqlkit.codegen.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The few manipulations of Connector/J URLs ({@code jdbc:mysql://host:port/database?k=v&...}) that
 * provisioning needs. Multi-host lists and IPv6 literals pass through untouched because the
 * database part is located after the authority, never inside it.
 */
public final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?]*:)[^@/?]*@");

    private JdbcUrls() {
    }

    /** The URL with any password replaced by {@code ***}, fit for logs and error messages. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(masked).replaceAll("$1***@");
    }

    /** The same server and parameters, with the database part replaced (empty for none). */
    public static String withDatabase(String url, String database) {
        int authorityStart = authorityStart(url);
        int queryStart = url.indexOf('?', authorityStart);
        int end = queryStart < 0 ? url.length() : queryStart;
        int pathStart = url.indexOf('/', authorityStart);
        if (pathStart < 0 || pathStart > end) {
            pathStart = end;
        }
        return url.substring(0, pathStart) + "/" + database + url.substring(end);
    }

    /** The value of a query parameter, if present. */
    public static Optional<String> parameter(String url, String name) {
        int queryStart = url.indexOf('?', authorityStart(url));
        if (queryStart < 0) {
            return Optional.empty();
        }
        for (String pair : url.substring(queryStart + 1).split("[&;]")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equalsIgnoreCase(name)) {
                return Optional.of(equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return Optional.empty();
    }

    /** The URL without the named query parameters (used to keep credentials out of URLs we log). */
    public static String withoutParameters(String url, String... names) {
        int queryStart = url.indexOf('?', authorityStart(url));
        if (queryStart < 0) {
            return url;
        }
        List<String> kept = new ArrayList<>();
        pairs:
        for (String pair : url.substring(queryStart + 1).split("[&;]")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            for (String name : names) {
                if (key.equalsIgnoreCase(name)) {
                    continue pairs;
                }
            }
            if (!pair.isEmpty()) {
                kept.add(pair);
            }
        }
        String base = url.substring(0, queryStart);
        return kept.isEmpty() ? base : base + "?" + String.join("&", kept);
    }

    private static int authorityStart(String url) {
        int slashes = url.indexOf("//");
        if (!url.startsWith("jdbc:mysql:") || slashes < 0) {
            throw new ProvisioningException("Not a MySQL Connector/J URL: " + mask(url)
                    + ". Expected the form jdbc:mysql://host:port/database?user=...");
        }
        return slashes + 2;
    }
}
