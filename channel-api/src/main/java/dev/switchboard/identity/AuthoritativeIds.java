package dev.switchboard.identity;

import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerContact;
import java.util.List;

/**
 * The rule that host-signed user ids are authoritative: two customers each holding a verified
 * {@link ContactPoint.Kind#EXTERNAL_ID} the other lacks are two different people (the host told us so), and no
 * automatic merge may join them, whatever point they share and whatever order the events came in.
 */
final class AuthoritativeIds {

    private AuthoritativeIds() {
    }

    /** Whether the customer holds at least one verified host user id. */
    static boolean any(Customer c) {
        for (CustomerContact contact : c.contacts()) {
            if (contact.verified() && contact.point().kind() == ContactPoint.Kind.EXTERNAL_ID) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether merging the two would join different host users: each holds a verified host user id the other does not
     * hold verified. Holding the same id (one host user with two webchat visitors) is no conflict.
     */
    static boolean conflict(Customer a, Customer b) {
        return holdsOneTheOtherLacks(a, b) && holdsOneTheOtherLacks(b, a);
    }

    /** Whether any two of the customers {@linkplain #conflict conflict}. */
    static boolean conflict(List<Customer> customers) {
        int withIds = 0;
        for (Customer c : customers) {
            withIds += any(c) ? 1 : 0;
        }
        if (withIds < 2) {
            return false; // the common case: at most one side says who it is
        }
        for (int i = 0; i < customers.size(); i++) {
            for (int j = i + 1; j < customers.size(); j++) {
                if (conflict(customers.get(i), customers.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsOneTheOtherLacks(Customer a, Customer b) {
        for (CustomerContact contact : a.contacts()) {
            if (contact.verified() && contact.point().kind() == ContactPoint.Kind.EXTERNAL_ID
                    && !b.hasVerified(contact.point())) {
                return true;
            }
        }
        return false;
    }
}
