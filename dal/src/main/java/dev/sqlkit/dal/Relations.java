package dev.sqlkit.dal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import org.jooq.Record2;
import org.jooq.Result;

/**
 * Folds the rows of {@code parent LEFT JOIN child} into one parent and its children. Reading a
 * relation in one statement this way, rather than with MULTISET, is explained at
 * {@link OrgRepository#findWithMembers}.
 */
final class Relations {

    private Relations() {
    }

    /**
     * The parent with its children in row order, or empty when there are no rows (no such parent).
     * A parent without children comes as one row whose child is null: the projections map the
     * LEFT JOIN's all-NULL side to null, which is no child.
     */
    static <P, C, W> Optional<W> parentWithChildren(Result<Record2<P, C>> rows, BiFunction<P, List<C>, W> whole) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<C> children = rows.stream()
                .map(Record2::value2)
                .filter(Objects::nonNull)
                .toList();
        return Optional.of(whole.apply(rows.get(0).value1(), children));
    }
}
