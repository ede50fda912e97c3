package dev.sqlkit.dal;

import java.util.List;

/**
 * One page of a list in id order.
 *
 * @param items      at most the requested number of items
 * @param nextAfterId the cursor for the next page ({@link PageRequest#after}), or {@code null} on
 *                   the last page
 */
public record Page<T>(List<T> items, Long nextAfterId) {

    public Page {
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return nextAfterId != null;
    }
}
