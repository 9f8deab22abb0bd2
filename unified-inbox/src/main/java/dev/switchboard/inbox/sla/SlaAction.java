package dev.switchboard.inbox.sla;

import dev.switchboard.model.ConversationId;
import dev.switchboard.model.TenantId;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What a policy does when a deadline's warning or breach fires, besides publishing the {@code SLA_WARNING} or
 * {@code SLA_BREACHED} event itself (the "notify" action: a host turns the event into a message). Actions run once,
 * on the node that published the event, right after it committed: {@link #raisePriority()} moves the conversation one
 * priority up, {@link #tag(String)} adds a tag (the routing queue function of the tenant moves it to another
 * team/queue by it), {@link #callback} runs host code.
 */
public sealed interface SlaAction {
    /** One priority up (LOW to NORMAL, ... URGENT stays URGENT); routing re-queues it under the new priority. */
    static SlaAction raisePriority() {
        return new RaisePriority();
    }

    /** Adds a tag; with a routing queue function keyed by it, the conversation moves to that team's queue. */
    static SlaAction tag(String tag) {
        if (Objects.requireNonNull(tag, "tag").isBlank()) {
            throw new IllegalArgumentException("SLA action tag must not be blank");
        }
        return new Tag(tag);
    }

    /** Runs host code with the tenant and the conversation; an exception is logged, never retried. */
    static SlaAction callback(String name, BiConsumer<TenantId, ConversationId> action) {
        return new Callback(Objects.requireNonNull(name, "name"), Objects.requireNonNull(action, "action"));
    }

    /** See {@link #raisePriority()}. */
    record RaisePriority() implements SlaAction {
    }

    /** See {@link #tag(String)}. */
    record Tag(String tag) implements SlaAction {
    }

    /** See {@link #callback}. */
    record Callback(String name, BiConsumer<TenantId, ConversationId> action) implements SlaAction {
        @Override
        public String toString() {
            return "Callback[" + name + "]";
        }
    }
}
