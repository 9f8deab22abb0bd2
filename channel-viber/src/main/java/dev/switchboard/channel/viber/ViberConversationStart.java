package dev.switchboard.channel.viber;

import dev.switchboard.model.ChannelAccount;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer opened the conversation with the bot: what {@link ViberWelcome} gets to choose a welcome message.
 *
 * @param account the customer's account (id, name, language)
 * @param context the deep link's {@code context} ({@code viber://pa?chatURI=<bot>&context=<...>}), unverified
 * @param subscribed whether the customer is already subscribed to the bot
 * @param apiVersion the API version of the customer's client
 */
public record ViberConversationStart(ChannelAccount account, Optional<String> context, boolean subscribed,
                                     int apiVersion) {
    public ViberConversationStart {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(context, "context");
    }
}
