package dev.switchboard.spring.boot;

import dev.switchboard.inbox.Inbox;

/**
 * Adjusts the {@link Inbox.Builder} after the starter applied the {@code switchboard.*} properties and before it
 * builds the inbox: declare a bean to add a channel made in code, a clock, or any option the properties do not cover.
 */
@FunctionalInterface
public interface InboxBuilderCustomizer {

    /** Changes {@code builder} in place. */
    void customize(Inbox.Builder builder);
}
