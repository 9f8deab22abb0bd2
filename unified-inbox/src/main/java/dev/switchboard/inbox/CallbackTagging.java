package dev.switchboard.inbox;

import dev.switchboard.channel.CallbackRequest;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.model.Conversation;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Marks the conversation of a call-back request ({@link CallbackRequest}) with the {@code call-back} tag as its
 * message is stored, in the same transaction, so SLA policies and routing see a call-back from the first evaluation.
 */
final class CallbackTagging {
    private CallbackTagging() {
    }

    /** The conversation with the call-back tag added when {@code m} is a call-back request; else unchanged. */
    static Conversation tag(Conversation c, InboundEvent.MessageReceived m, Instant now) {
        if (CallbackRequest.of(m).isEmpty() || c.tags().contains(CallbackRequest.TAG)) {
            return c;
        }
        Set<String> tags = new LinkedHashSet<>(c.tags());
        tags.add(CallbackRequest.TAG);
        return c.withTags(tags, now);
    }
}
