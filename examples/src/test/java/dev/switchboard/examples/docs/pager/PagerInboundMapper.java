package dev.switchboard.examples.docs.pager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Profile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

// ---- doc snippet begins
/** Pager update JSON to an InboundEvent, or a reason to quarantine it. Pure; package-private. */
final class PagerInboundMapper {
    private final PagerConfig config;

    PagerInboundMapper(PagerConfig config) {
        this.config = config;
    }

    InboundEvent toEvent(JsonNode update) {
        JsonNode from = update.path("sender");
        ChannelAccount account = ChannelAccount.of(config.tenant(), config.channelId(), from.path("id").asText(),
                new Profile(text(from, "name"), text(from, "handle"), text(from, "locale"), Optional.empty()));
        Instant at = Instant.ofEpochSecond(update.path("ts").asLong());
        List<Evidence> evidence = from.path("phone_verified").asBoolean()
                ? List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, from.path("phone").asText()),
                        "pager.verified-phone", at))
                : List.of();
        return new InboundEvent.MessageReceived(
                update.path("event_id").asText(),          // the PLATFORM's id: a redelivery must carry the same one
                account, at,
                update.path("message").path("id").asText(),
                Content.text(update.path("message").path("text").asText()),
                ThreadHints.NONE, evidence, false);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }
}
// ---- doc snippet ends
