package dev.sqlkit.dal;

/**
 * Keyset pagination: the items whose id is greater than {@code afterId}, in id order. Unlike
 * offsets, a cursor stays correct while rows are inserted and deleted, and every page costs the same.
 *
 * @param afterId the last id of the previous page, or {@code null} for the first page
 * @param limit   how many items, 1 to {@value #MAX_LIMIT}
 */
public record PageRequest(Long afterId, int limit) {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 50;

    public PageRequest {
        if (afterId != null && afterId < 0) {
            throw new InvalidInputException("after", "must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }

    public static PageRequest after(long afterId, int limit) {
        return new PageRequest(afterId, limit);
    }

    /** The page after {@code page}, if there is one. */
    public PageRequest next(Page<?> page) {
        return page.hasNext() ? new PageRequest(page.nextAfterId(), limit) : null;
    }
}
