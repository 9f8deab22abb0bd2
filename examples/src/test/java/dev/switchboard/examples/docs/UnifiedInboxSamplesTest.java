package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.Subscription;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.ThreadingPolicy;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.Page;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of docs/unified-inbox.md, verbatim between the markers (see {@link DocSamplesTest}). */
class UnifiedInboxSamplesTest {

    /** Where the first sample's listener sends events. */
    interface Crm {
        void push(InboxEvent event);
    }

    /** Compiled, not run: it needs a conversation before the inbox it builds exists. */
    @SuppressWarnings("unused")
    static void usingIt(Channel telegram, Channel email, Crm crm, ConversationId conversationId, long savedCursor) {
        // ---- doc snippet begins
        InboxStore store = new InMemoryInboxStore();            // or the JDBC store (H2 / PostgreSQL)
        Inbox inbox = Inbox.builder()
                .store(store)                                   // required
                .channel(telegram).channel(email)               // ids unique per tenant, checked at build()
                .threading(ThreadingPolicy.PER_CUSTOMER)        // default; or PER_CUSTOMER_AND_CHANNEL
                .reopenWindow(Duration.ofDays(7))               // default
                .outbox(OutboxSettings.builder().workers(8).maxAttempts(10).build())
                .listener(event -> crm.push(event))
                .build();
        inbox.start();

        Page<Conversation> open = inbox.conversations(ConversationQuery.builder(TenantId.DEFAULT)
                .status(ConversationStatus.OPEN).limit(50).build());                  // newest activity first
        Message queued = inbox.reply(conversationId, Content.text("Hello!"));                 // last inbound channel
        inbox.reply(conversationId, Content.text("By mail"), ReplyOptions.defaults().channel(ChannelId.of("email")));
        List<InboxEvent> feed = inbox.events(savedCursor, 500);                               // catch up after downtime
        long end = inbox.lastEventSeq();     // the end of the feed: a new reader that wants only what comes next
        inbox.close();   // stops channels and workers; the store belongs to the caller and stays open
        // ---- doc snippet ends
    }

    @Test
    void aTenantViewListensToItsTenantOnly() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            inbox.start();
            // ---- doc snippet begins
            TenantInbox shop = inbox.forTenant(TenantId.of("flower-shop"));
            shop.onMessageReceived(m -> shop.reply(m.conversation().id(), Content.text("Thanks, we are on it.")));
            // ---- doc snippet ends
            assertThat(shop.tenant()).isEqualTo(TenantId.of("flower-shop"));
        }
    }

    @Test
    void listenersAndTheFeedEnd() {
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).build()) {
            inbox.start();
            // ---- doc snippet begins
            long cursor = inbox.lastEventSeq();                  // first run: start at the current end of the feed
            List<InboxEvent> batch = inbox.events(cursor, 100);  // later runs: continue from the saved cursor
            try (Subscription failures = inbox.addListener(event -> {
                if (event.deliveryStatus().orElse(null) == DeliveryStatus.FAILED) {
                    System.out.println("not delivered: " + event.attribute(InboxEvent.Attribute.REASON).orElse("?"));
                }
            })) {
                // ... the listener hears events committed from now on, until the subscription is closed
            }
            // ---- doc snippet ends
            assertThat(cursor).isZero();
            assertThat(batch).isEmpty();
        }
    }
}
