package dev.switchboard.inbox;

import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Customer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The "blocked us" mark of a channel account: set when the platform says the customer blocked the bot or cannot be
 * reached there (a platform update, or a send failing with {@code RECIPIENT_UNREACHABLE}), stored as the customer
 * attribute {@code switchboard.blocked-us:<channel>:<platformUserId>} whose value says why and since when. A
 * message the customer sends from that account proves it reachable again and clears the mark. Internal.
 */
final class BlockedUs {
    private BlockedUs() {
    }

    /** Clears the account's mark when an inbound message arrives from it; appends {@code UNBLOCKED_US}. */
    static void clearOnInbound(InboxTransaction tx, Customer customer, ChannelAccount account, Instant now) {
        String key = InboundHandler.blockedUsKey(account);
        if (!customer.attributes().containsKey(key)) {
            return;
        }
        Map<String, String> attributes = new HashMap<>(customer.attributes());
        attributes.remove(key);
        tx.saveCustomer(customer.with(customer.displayName(), customer.language(), customer.accounts(),
                customer.contacts(), attributes, customer.preferences(), customer.conflicts(),
                customer.mergedInto(), now));
        tx.appendEvent(Events.of(account.tenant(), InboxEvent.Type.ACCOUNT_UPDATED, null, null, customer.id(), now,
                "channel", account.channel().value(), "account", account.platformUserId(), "kind", "UNBLOCKED_US",
                "source", "inbound message"));
    }
}
