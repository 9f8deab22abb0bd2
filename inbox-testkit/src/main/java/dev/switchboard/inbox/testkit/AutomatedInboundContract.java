package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.QuarantineEntry;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mail a machine sent (auto-replies, bounces without a report, mailing lists) never opens or reopens a conversation
 * and never creates a customer: it is attached to the conversation it answers when its references say so, and
 * otherwise kept in the quarantine with an "automated message" reason. A store vendor extends it and implements {@link #newStore()} (a fresh,
 * empty store per test; the suite closes it); test methods are public so subclasses in other packages inherit them.
 */
public abstract class AutomatedInboundContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private FakeChannel mail;
    private Inbox inbox;

    /** A fresh, empty store for one test; closed after it. */
    protected abstract InboxStore newStore();

    private InboxStore store;

    @BeforeEach
    void start() {
        mail = FakeChannel.of("mail", ChannelType.EMAIL);
        store = newStore();
        inbox = Inbox.builder().store(store).channel(mail)
                .eventPollInterval(Duration.ofMillis(50)).leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(2))
                        .leaseDuration(Duration.ofSeconds(5)).build())
                .build();
        inbox.start();
    }

    @AfterEach
    void stop() throws Exception {
        inbox.close();
        store.close();
    }

    private static void done(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private InboundEvent.MessageReceived automated(String eventId, String from, String text, ThreadHints hints) {
        return new InboundEvent.MessageReceived(eventId, mail.account(from), Instant.now(), eventId,
                Content.text(text), hints, List.of(), true);
    }

    private List<Conversation> conversations() {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
    }

    /** A resolved conversation with anna holding one reply we sent; returns the reply's platform id. */
    private String resolvedConversationWithAReply() throws Exception {
        done(mail.receive("anna@example.com", "where is my parcel?"));
        Conversation c = conversations().get(0);
        Message reply = inbox.reply(c.id(), Content.text("on its way"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        inbox.resolve(c.id());
        return mail.sent().get(0).platformMessageId().orElseThrow();
    }

    @Test
    public void anAutoReplyToOurMessageIsAttachedWithoutReopeningTheConversation() throws Exception {
        String ours = resolvedConversationWithAReply();
        Conversation before = conversations().get(0);

        done(mail.deliver(automated("ooo-1", "anna@example.com", "I am out of office until Monday",
                ThreadHints.replyTo(ours))));
        done(mail.deliver(automated("bounce-1", "mailer-daemon@mx.example", "Delivery failed",
                ThreadHints.replyTo(ours))));

        assertThat(conversations()).hasSize(1);
        Conversation after = conversations().get(0);
        assertThat(after.status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(after.lastInboundAt()).isEqualTo(before.lastInboundAt());
        assertThat(inbox.messages(after.id())).extracting(m -> m.content().plainText())
                .endsWith("I am out of office until Monday", "Delivery failed");
        assertThat(inbox.messages(after.id())).allMatch(m -> m.customer().equals(after.customer()));
        assertThat(inbox.customerByAccount(mail.account("mailer-daemon@mx.example").key()))
                .as("no customer for a machine sender").isEmpty();
        assertThat(inbox.quarantined(10)).isEmpty();
    }

    @Test
    public void automatedMailThatAnswersNothingIsQuarantinedAndCreatesNothing() throws Exception {
        done(mail.deliver(automated("list-1", "news-request@lists.example", "Weekly digest", ThreadHints.NONE)));
        done(mail.deliver(automated("list-1", "news-request@lists.example", "Weekly digest", ThreadHints.NONE)));
        done(mail.deliver(automated("ooo-2", "bob@example.com", "Away", new ThreadHints(List.of("unknown@x"),
                Optional.empty(), Optional.of("Auto: hello")))));

        assertThat(conversations()).isEmpty();
        assertThat(inbox.customerByAccount(mail.account("news-request@lists.example").key())).isEmpty();
        assertThat(inbox.customerByAccount(mail.account("bob@example.com").key())).isEmpty();
        List<QuarantineEntry> kept = inbox.quarantined(10);
        assertThat(kept).hasSize(2).allMatch(q -> q.input().reason().startsWith("automated message"));
        assertThat(kept).anyMatch(q -> new String(q.input().raw(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("Subject: Auto: hello"));
    }

    @Test
    public void automatedMailFromAKnownCustomerNeverReopensTheirResolvedConversation() throws Exception {
        resolvedConversationWithAReply();
        done(mail.deliver(automated("ooo-3", "anna@example.com", "Out of office", ThreadHints.NONE)));
        assertThat(conversations()).hasSize(1);
        assertThat(conversations().get(0).status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(inbox.quarantined(10)).hasSize(1);
    }

    @Test
    public void aReferenceToSomeoneElsesInboundMessageDoesNotAttachAMachineSender() throws Exception {
        InboundEvent.MessageReceived first = mail.text("anna@example.com", "private question");
        done(mail.deliver(first));
        done(mail.deliver(automated("x-1", "robot@elsewhere.example", "I saw that",
                ThreadHints.replyTo(first.platformMessageId()))));
        Conversation c = conversations().get(0);
        assertThat(inbox.messages(c.id())).hasSize(1);
        assertThat(inbox.quarantined(10)).hasSize(1);
    }
}
