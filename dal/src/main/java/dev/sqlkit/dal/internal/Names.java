package dev.sqlkit.dal.internal;

import java.util.Locale;

/** Turns table and column names into the entity and field names the API and its errors use. */
public final class Names {

    private Names() {
    }

    /** {@code org_id} to {@code orgId}. */
    public static String field(String column) {
        StringBuilder field = new StringBuilder(column.length());
        boolean upper = false;
        for (char c : column.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                field.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return field.toString();
    }

    /** {@code orgs} to {@code org}: the tables are plain English plurals. */
    public static String entity(String table) {
        String name = table.toLowerCase(Locale.ROOT);
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }

    /** {@code org} to {@code an org}, {@code user} to {@code a user}. */
    public static String withArticle(String noun) {
        return ("aeio".indexOf(Character.toLowerCase(noun.charAt(0))) >= 0 ? "an " : "a ") + noun;
    }
}
