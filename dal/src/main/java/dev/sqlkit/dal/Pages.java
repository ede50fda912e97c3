package dev.sqlkit.dal;

import java.util.List;
import java.util.function.ToLongFunction;

/** Builds a {@link Page} from a query that fetched one row more than the page holds. */
final class Pages {

    private Pages() {
    }

    static <T> Page<T> of(List<T> rows, PageRequest request, ToLongFunction<T> id) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, request.limit());
        return new Page<>(items, id.applyAsLong(items.get(items.size() - 1)));
    }
}
