package dev.switchboard.inbox;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds {@link InboxEvent}s to append; the store numbers them. Internal. */
final class Events {
    private Events() {}

    static InboxEvent of(TenantId tenant, InboxEvent.Type type, ConversationId conversation, MessageId message,
                         CustomerId customer, Instant at, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                attrs.put(attributes[i], attributes[i + 1]);
            }
        }
        return new InboxEvent(0, tenant, type, Optional.ofNullable(conversation), Optional.ofNullable(message),
                Optional.ofNullable(customer), attrs, at);
    }
}
