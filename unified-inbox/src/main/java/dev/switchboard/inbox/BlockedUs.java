package dev.switchboard.inbox;

import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Customer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The "blocked us" mark of a channel account: set when the platform says the customer blocked the bot or cannot be
 * reached there (a platform update, or a send failing with {@code RECIPIENT_UNREACHABLE}), stored as the customer
 * attribute {@code switchboard.blocked-us:<channel>:<platformUserId>} whose value says why and since when. A
 * message the customer sends from that account proves it reachable again and clears the mark. While it is set, replies
 * through that account are refused ({@link ContactNotAllowedException.Reason#RECIPIENT_BLOCKED_US}) and routed to
 * another channel where there is one. Stateless and thread-safe.
 */
public final class BlockedUs {
    private BlockedUs() {
    }

    /**
     * Whether the customer blocked us (or cannot be reached) on this account, and why and since when, e.g.
     * {@code "BLOCKED_US@2026-12-06T12:00:00Z"} from a platform update or {@code "RECIPIENT_UNREACHABLE@..."} from a
     * failed send; empty when the account is reachable.
     */
    public static Optional<String> of(Customer customer, AccountKey account) {
        return Optional.ofNullable(customer.attributes().get(InboundHandler.BLOCKED_US_PREFIX
                + account.channel().value() + ":" + account.platformUserId()));
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
