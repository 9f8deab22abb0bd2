package dev.switchboard.store;

import java.util.Objects;
import java.util.Optional;

/** Which page to read: at most {@code limit} items after an opaque cursor from a previous {@link Page}. */
public record PageRequest(int limit, Optional<String> cursor) {
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ", got " + limit);
        }
        Objects.requireNonNull(cursor, "cursor");
    }

    /** The first {@code limit} items (1..{@value #MAX_LIMIT}). */
    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }

    /** The next page: the same limit after {@code cursor} (a previous page's {@code nextCursor}). */
    public PageRequest after(String cursor) {
        return new PageRequest(limit, Optional.of(cursor));
    }
}
