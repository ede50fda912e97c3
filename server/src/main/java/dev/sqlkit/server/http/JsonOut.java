package dev.sqlkit.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import dev.sqlkit.dal.Org;
import dev.sqlkit.dal.Page;
import dev.sqlkit.dal.Post;
import dev.sqlkit.dal.User;

/**
 * Writes the API's JSON straight into a buffer: the shapes are few and fixed, so a tree of
 * JsonValues (or reflection) would only cost time. Field names are snake_case, as in the APIs
 * this server replaces; timestamps are ISO-8601 instants in UTC.
 */
final class JsonOut {

    private JsonOut() {
    }

    static void send(ServerResponse res, Status status, CharSequence json) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    static StringBuilder org(StringBuilder out, Org org) {
        out.append("{\"id\":").append(org.id());
        out.append(",\"name\":");
        string(out, org.name());
        out.append(",\"description\":");
        string(out, org.description());
        out.append(",\"url\":");
        string(out, org.url());
        out.append(",\"created_at\":");
        instant(out, org.createdAt());
        return out.append('}');
    }

    static StringBuilder post(StringBuilder out, Post post) {
        out.append("{\"id\":").append(post.id());
        out.append(",\"title\":");
        string(out, post.title());
        out.append(",\"body\":");
        string(out, post.body());
        out.append(",\"published\":").append(post.isPublished());
        out.append(",\"author_id\":").append(post.authorId());
        out.append(",\"created_at\":");
        instant(out, post.createdAt());
        return out.append('}');
    }

    static StringBuilder user(StringBuilder out, User user) {
        out.append("{\"id\":").append(user.id());
        out.append(",\"email\":");
        string(out, user.email());
        out.append(",\"name\":");
        string(out, user.name());
        out.append(",\"role\":\"").append(user.role().getLiteral()).append('"');
        out.append(",\"org_id\":").append(user.orgId());
        out.append(",\"created_at\":");
        instant(out, user.createdAt());
        return out.append('}');
    }

    /** {@code {"items":[...],"next_after":id|null}}: the cursor for the next page, if any. */
    static <T> StringBuilder page(StringBuilder out, Page<T> page, BiConsumer<StringBuilder, T> item) {
        out.append("{\"items\":");
        array(out, page.items(), item);
        return out.append(",\"next_after\":").append(page.nextAfterId()).append('}');
    }

    static <T> StringBuilder array(StringBuilder out, List<T> items, BiConsumer<StringBuilder, T> item) {
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            item.accept(out, items.get(i));
        }
        return out.append(']');
    }

    static void instant(StringBuilder out, Instant instant) {
        if (instant == null) {
            out.append("null");
        } else {
            out.append('"').append(instant).append('"');
        }
    }

    /** A JSON string per RFC 8259: quotes, backslashes and control characters escaped. */
    static StringBuilder string(StringBuilder out, String value) {
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
