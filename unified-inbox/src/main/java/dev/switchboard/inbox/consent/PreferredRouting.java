package dev.switchboard.inbox.consent;

import dev.switchboard.channel.Channel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Customer;
import dev.switchboard.model.LinkedAccount;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The channels a "preferred" reply tries first: for each of the customer's preferred channel types in order, the
 * configured channels of that type they have an account on. Channel types they asked never to be used are left out
 * (the inbox's own checks refuse them anyway, with {@code DO_NOT_CONTACT}). Stateless.
 */
public final class PreferredRouting {
    private PreferredRouting() {
    }

    /**
     * The candidate channels, most preferred first; {@code channelOf} gives the configured channel of an account's
     * channel id, empty when the tenant has none.
     */
    public static List<Channel> candidates(Customer customer, Function<LinkedAccount, Optional<Channel>> channelOf) {
        Set<Channel> out = new LinkedHashSet<>();
        for (ChannelType type : customer.preferences().preferredChannels()) {
            if (!customer.preferences().allows(type)) {
                continue;
            }
            for (LinkedAccount a : customer.accounts()) {
                channelOf.apply(a).filter(c -> c.type().equals(type)).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }
}
