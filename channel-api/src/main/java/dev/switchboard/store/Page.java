package dev.switchboard.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of results, with the cursor for the next page when there may be more. */
public record Page<T>(List<T> items, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }

    /** A page with nothing after it. */
    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }
}
