package dev.switchboard.inbox.campaign;

import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who a campaign is for: a list of customer ids, or a segment, a predicate over the tenant's customers. Either way the
 * audience is read once, when the campaign is created, and stored as its recipients; consent is checked later, for
 * each recipient when their message is due, so an audience may name customers without consent (they are skipped
 * with {@link SkipReason#NO_CONSENT}).
 */
public sealed interface Audience {

    /** The customers with these ids (of the campaign's tenant); a repeated id is stored once. */
    static Audience customers(List<CustomerId> customers) {
        return new Listed(customers);
    }

    /** The tenant's customers (not merged away) for which {@code matches} is true, read at the campaign's creation. */
    static Audience segment(String name, Predicate<Customer> matches) {
        return new Segment(name, matches);
    }

    /**
     * An explicit list of customer ids.
     *
     * @param customers the ids, not empty
     */
    record Listed(List<CustomerId> customers) implements Audience {
        /** Copies the list and checks it is not empty. */
        public Listed {
            customers = List.copyOf(Objects.requireNonNull(customers, "customers"));
            if (customers.isEmpty()) {
                throw new IllegalArgumentException("audience must name at least one customer");
            }
        }
    }

    /**
     * A named predicate over the tenant's customers.
     *
     * @param name a name for logs and the campaign's events
     * @param matches true for the customers the campaign is for
     */
    record Segment(String name, Predicate<Customer> matches) implements Audience {
        /** Checks that nothing is null and the name is not blank. */
        public Segment {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(matches, "matches");
            if (name.isBlank()) {
                throw new IllegalArgumentException("segment name must not be blank");
            }
        }
    }
}
