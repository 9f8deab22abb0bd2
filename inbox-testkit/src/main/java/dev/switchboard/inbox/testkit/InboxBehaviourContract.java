package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.ReceiveMode;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Choice;
import dev.switchboard.content.Choices;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.ContactNotAllowedException;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.Subscription;
import dev.switchboard.inbox.ThreadingPolicy;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.spi.InboxTransaction;
import dev.switchboard.inbox.spi.Lease;
import dev.switchboard.inbox.spi.OutboxEntry;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationStatus;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.store.PageRequest;
import dev.switchboard.store.TransactionWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox's behaviour (ingest, identity, threading, replies through the outbox, retries, quarantine, the event
 * feed), runnable against any {@link InboxStore}: a store vendor extends it and implements {@link #newStore()} (a
 * fresh, empty store per test; the suite closes it). The kit's own tests run it on the in-memory store, the JDBC
 * module on H2 and PostgreSQL. Test methods are public so subclasses in other packages inherit them.
 */
public abstract class InboxBehaviourContract {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    protected InboxStore store() {
        InboxStore s = newStore();
        cleanup.add(s);
        return s;
    }

    /** A builder with short intervals so tests run fast. */
    protected Inbox.Builder fastInbox(InboxStore store) {
        return Inbox.builder().store(store)
                .eventPollInterval(Duration.ofMillis(50))
                .leaseCheckInterval(Duration.ofMillis(200))
                .outbox(OutboxSettings.builder().pollInterval(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).sendTimeout(Duration.ofSeconds(2))
                        .leaseDuration(Duration.ofSeconds(5)).build());
    }

    protected Inbox started(Inbox.Builder builder) {
        Inbox inbox = builder.build();
        cleanup.add(inbox);
        inbox.start();
        return inbox;
    }

    private static void done(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Evidence verifiedPhone(String phone) {
        return Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, phone), "test.verified", Instant.now());
    }

    private static List<Message> allMessages(Inbox inbox, TenantId tenant) {
        List<Message> out = new ArrayList<>();
        for (Conversation c : inbox.conversations(ConversationQuery.all(tenant, 1000)).items()) {
            out.addAll(inbox.messages(tenant, c.id()));
        }
        return out;
    }

    private static Conversation onlyConversation(Inbox inbox) {
        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static List<InboxEvent> eventsOf(Inbox inbox, InboxEvent.Type type) {
        return inbox.events(0, 1000).stream().filter(e -> e.type() == type).toList();
    }

    // ---- ingest ------------------------------------------------------------------------------------------------

    @Test
    public void aRedeliveredEventIsStoredOnceAndBothDeliveriesComplete() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));

        InboundEvent.MessageReceived hello = tg.text("42", "hello");
        done(tg.deliver(hello));
        done(tg.deliver(hello));

        Conversation c = onlyConversation(inbox);
        assertThat(inbox.messages(c.id())).extracting(m -> m.content().plainText()).containsExactly("hello");
        assertThat(eventsOf(inbox, InboxEvent.Type.MESSAGE_RECEIVED)).hasSize(1);
    }

    @Test
    public void aBatchWithDuplicatesStoresEachEventOnce() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        List<InboundEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(tg.text("u" + (i % 3), "m" + i));
        }
        batch.add(batch.get(5));
        batch.add(batch.get(17));
        done(inbox.sink(TenantId.DEFAULT, ChannelId.of("tg")).deliverAll(batch));

        assertThat(allMessages(inbox, TenantId.DEFAULT)).hasSize(30);
        List<Conversation> conversations = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(conversations).hasSize(3);
        // ingest runs on several threads, but one account's events are stored in the order they were delivered
        for (Conversation c : conversations) {
            List<Integer> numbers = inbox.messages(c.id()).stream()
                    .map(m -> Integer.parseInt(m.content().plainText().substring(1))).toList();
            assertThat(numbers).hasSize(10).isSorted();
        }
    }

    @Test
    public void conversationsCanBeListedByStatusAssigneeAndChannelWithPaging() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        for (int i = 0; i < 5; i++) {
            done(tg.receive("tg-user-" + i, "hello"));
            done(web.receive("web-user-" + i, "hello"));
        }
        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(all).hasSize(10);
        Conversation first = all.get(0);
        inbox.assign(first.id(), "alice");
        inbox.resolve(all.get(1).id());
        inbox.setPriority(first.id(), dev.switchboard.model.Priority.HIGH);
        inbox.tag(first.id(), Set.of("vip"));

        var alices = inbox.conversations(new ConversationQuery(TenantId.DEFAULT, Set.of(), Optional.of("alice"),
                Optional.empty(), PageRequest.first(10))).items();
        assertThat(alices).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(first.id());
            assertThat(c.priority()).isEqualTo(dev.switchboard.model.Priority.HIGH);
            assertThat(c.tags()).containsExactly("vip");
        });
        var open = inbox.conversations(new ConversationQuery(TenantId.DEFAULT, Set.of(ConversationStatus.OPEN),
                Optional.empty(), Optional.empty(), PageRequest.first(100))).items();
        assertThat(open).hasSize(9).noneMatch(c -> c.id().equals(all.get(1).id()));
        var onWeb = inbox.conversations(new ConversationQuery(TenantId.DEFAULT, Set.of(), Optional.empty(),
                Optional.of(ChannelId.of("web")), PageRequest.first(100))).items();
        assertThat(onWeb).hasSize(5).allMatch(c -> c.channel().equals(Optional.of(ChannelId.of("web"))));

        Set<Object> paged = new HashSet<>();
        var request = PageRequest.first(3);
        while (true) {
            var page = inbox.conversations(new ConversationQuery(TenantId.DEFAULT, Set.of(), Optional.empty(),
                    Optional.empty(), request));
            page.items().forEach(c -> assertThat(paged.add(c.id())).isTrue());
            if (page.nextCursor().isEmpty()) {
                break;
            }
            request = request.after(page.nextCursor().get());
        }
        assertThat(paged).hasSize(10);
        assertThat(eventsOf(inbox, InboxEvent.Type.CONVERSATION_RESOLVED)).hasSize(1);
    }

    @Test
    public void theSamePersonOnTwoChannelsHasOneConversationPerCustomer() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));

        done(tg.deliver(tg.text("42", "hi from telegram", List.of(verifiedPhone("+79161234567")))));
        done(web.deliver(web.text("visitor-1", "hi from the site", List.of(verifiedPhone("+79161234567")))));

        Conversation c = onlyConversation(inbox);
        assertThat(inbox.messages(c.id())).extracting(m -> m.channel().value()).containsExactly("tg", "web");
        assertThat(c.channel()).contains(ChannelId.of("web"));
        assertThat(c.status()).isEqualTo(ConversationStatus.OPEN);
    }

    @Test
    public void perCustomerAndChannelPolicyKeepsOneConversationPerChannel() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web)
                .threading(ThreadingPolicy.PER_CUSTOMER_AND_CHANNEL));

        done(tg.deliver(tg.text("42", "one", List.of(verifiedPhone("+79161234567")))));
        done(web.deliver(web.text("visitor-1", "two", List.of(verifiedPhone("+79161234567")))));
        done(tg.receive("42", "three"));

        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(all).hasSize(2);
        assertThat(all).extracting(Conversation::customer).containsOnly(all.get(0).customer());
        Conversation tgConversation = all.stream().filter(c -> c.channel().equals(Optional.of(ChannelId.of("tg"))))
                .findFirst().orElseThrow();
        assertThat(inbox.messages(tgConversation.id())).extracting(m -> m.content().plainText())
                .containsExactly("one", "three");
    }

    @Test
    public void aResolvedConversationReopensWithinTheWindowAndANewOneStartsAfter() throws Exception {
        MutableClock clock = new MutableClock();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg).clock(clock).reopenWindow(Duration.ofDays(7)));

        done(tg.receive("42", "first"));
        Conversation first = onlyConversation(inbox);
        inbox.resolve(first.id());
        clock.advance(Duration.ofDays(6));
        done(tg.receive("42", "again within a week"));

        Conversation reopened = onlyConversation(inbox);
        assertThat(reopened.id()).isEqualTo(first.id());
        assertThat(reopened.status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(eventsOf(inbox, InboxEvent.Type.CONVERSATION_REOPENED)).hasSize(1);

        inbox.resolve(first.id());
        clock.advance(Duration.ofDays(8));
        done(tg.receive("42", "much later"));

        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        assertThat(all).hasSize(2);
        Conversation fresh = all.stream().filter(c -> !c.id().equals(first.id())).findFirst().orElseThrow();
        assertThat(fresh.status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(inbox.messages(fresh.id())).extracting(m -> m.content().plainText()).containsExactly("much later");
        assertThat(inbox.conversation(first.id()).orElseThrow().status()).isEqualTo(ConversationStatus.RESOLVED);
    }

    @Test
    public void anEmailReplyAnswersUnderTheSubjectTheCustomerWrote() throws Exception {
        FakeChannel mail = FakeChannel.of("mail", ChannelType.EMAIL);
        Inbox inbox = started(fastInbox(store()).channel(mail));
        done(mail.deliver(new InboundEvent.MessageReceived("mail-evt-s1", mail.account("anna@example.com"),
                Instant.now(), "mail-in-s1", Content.text("the parcel never came"),
                new ThreadHints(List.of(), Optional.empty(), Optional.of("  Order 1042 missing ")), List.of(), false)));
        Conversation conversation = onlyConversation(inbox);
        assertThat(conversation.subject()).contains("Order 1042 missing");

        inbox.reply(conversation.id(), Content.text("it is on its way"));
        await().atMost(WAIT).until(() -> mail.sent().size() == 1);
        String token = mail.sent().get(0).message().thread().conversationToken().orElseThrow();
        // a later message (carrying the token of the reply it answers) with another subject does not rename it
        done(mail.deliver(new InboundEvent.MessageReceived("mail-evt-s2", mail.account("anna@example.com"),
                Instant.now(), "mail-in-s2", Content.text("any news?"),
                new ThreadHints(List.of(), Optional.of(token), Optional.of("Re: hello")), List.of(), false)));
        assertThat(onlyConversation(inbox).subject()).contains("Order 1042 missing");
        assertThat(inbox.messages(conversation.id())).extracting(m -> m.content().plainText()).endsWith("any news?");

        inbox.reply(conversation.id(), Content.text("tracking attached"), ReplyOptions.defaults().subject("Tracking"));
        await().atMost(WAIT).until(() -> mail.sent().size() == 2);
        assertThat(mail.sent()).extracting(s -> s.message().thread().subject().orElse(""))
                .containsExactlyInAnyOrder("Order 1042 missing", "Tracking");
    }

    @Test
    public void aReplyReferenceOrTokenThreadsIntoThatConversation() throws Exception {
        FakeChannel mail = FakeChannel.of("mail", ChannelType.EMAIL);
        Inbox inbox = started(fastInbox(store()).channel(mail).threading(ThreadingPolicy.PER_CUSTOMER));
        done(mail.receive("anna@example.com", "first question"));
        Conversation first = onlyConversation(inbox);
        inbox.resolve(first.id());
        // a new question opens a new conversation only after the window; make one explicitly by a fresh open
        Message reply = inbox.reply(first.id(), Content.text("answer"));
        await().atMost(WAIT).until(() -> mail.sent().size() == 1);
        String token = mail.sent().get(0).message().thread().conversationToken().orElseThrow();
        assertThat(mail.sent().get(0).message().thread().referencedPlatformMessageIds()).isNotEmpty();

        String replyPlatformId = mail.sent().get(0).platformMessageId().orElseThrow();
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        InboundEvent.MessageReceived answer = new InboundEvent.MessageReceived("mail-evt-x",
                mail.account("anna@example.com"), Instant.now(), "mail-in-x", Content.text("thanks"),
                ThreadHints.replyTo(replyPlatformId), List.of(), false);
        done(mail.deliver(answer));
        assertThat(inbox.messages(first.id())).extracting(m -> m.content().plainText()).endsWith("thanks");

        InboundEvent.MessageReceived byToken = new InboundEvent.MessageReceived("mail-evt-y",
                mail.account("anna@example.com"), Instant.now(), "mail-in-y", Content.text("by token"),
                new ThreadHints(List.of(), Optional.of(token), Optional.empty()),
                List.of(), false);
        done(mail.deliver(byToken));
        assertThat(inbox.messages(first.id())).extracting(m -> m.content().plainText()).endsWith("by token");
    }

    @Test
    public void theTimelineShowsEveryChannelInOrder() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web)
                .threading(ThreadingPolicy.PER_CUSTOMER_AND_CHANNEL));

        done(tg.deliver(tg.text("42", "1 telegram", List.of(verifiedPhone("+79161234567")))));
        done(web.deliver(web.text("v1", "2 web", List.of(verifiedPhone("+79161234567")))));
        done(tg.receive("42", "3 telegram"));
        Conversation webConversation = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items()
                .stream().filter(c -> c.channel().equals(Optional.of(ChannelId.of("web")))).findFirst().orElseThrow();
        inbox.reply(webConversation.id(), Content.text("4 reply"));
        done(web.receive("v1", "5 web"));

        CustomerId customer = webConversation.customer();
        List<String> texts = inbox.timeline(customer, PageRequest.first(100)).items().stream()
                .map(m -> m.content().plainText()).toList();
        assertThat(texts).containsExactly("1 telegram", "2 web", "3 telegram", "4 reply", "5 web");

        // paging walks the same order
        var page1 = inbox.timeline(customer, PageRequest.first(2));
        var page2 = inbox.timeline(customer, PageRequest.first(2).after(page1.nextCursor().orElseThrow()));
        assertThat(page1.items()).extracting(m -> m.content().plainText()).containsExactly("1 telegram", "2 web");
        assertThat(page2.items()).extracting(m -> m.content().plainText()).containsExactly("3 telegram", "4 reply");
    }

    // ---- replies -----------------------------------------------------------------------------------------------

    @Test
    public void aReplyGoesToTheChannelTheCustomerLastWroteFromUnlessAnotherIsChosen() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        done(tg.deliver(tg.text("42", "from telegram", List.of(verifiedPhone("+79161234567")))));
        done(web.deliver(web.text("v1", "from the site", List.of(verifiedPhone("+79161234567")))));
        Conversation c = onlyConversation(inbox);

        Message viaDefault = inbox.reply(c.id(), Content.text("answer on the site"));
        Message viaTelegram = inbox.reply(c.id(), Content.text("answer on telegram"),
                ReplyOptions.defaults().channel(ChannelId.of("tg")).agent("alice"));

        assertThat(viaDefault.channel()).isEqualTo(ChannelId.of("web"));
        assertThat(viaDefault.status()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(viaTelegram.agent()).contains("alice");
        await().atMost(WAIT).until(() -> web.sent().size() == 1 && tg.sent().size() == 1);
        assertThat(web.sentTexts()).containsExactly("answer on the site");
        assertThat(web.sent().get(0).message().recipient().platformUserId()).isEqualTo("v1");
        assertThat(tg.sentTexts()).containsExactly("answer on telegram");
        assertThat(tg.sent().get(0).message().recipient().platformUserId()).isEqualTo("42");
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, viaTelegram.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        assertThat(inbox.conversation(c.id()).orElseThrow().firstResponseAt()).isPresent();
    }

    @Test
    public void doNotContactIsRefusedWithAClearErrorAndNothingIsQueued() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        done(web.deliver(web.text("v1", "site", List.of(verifiedPhone("+79161234567")))));
        done(tg.deliver(tg.text("42", "telegram", List.of(verifiedPhone("+79161234567")))));
        Conversation c = onlyConversation(inbox);
        inbox.updatePreferences(TenantId.DEFAULT, c.customer(), p -> p.withDoNotContact(ChannelType.TELEGRAM));
        int before = inbox.messages(c.id()).size();

        assertThatThrownBy(() -> inbox.reply(c.id(), Content.text("hello"),
                ReplyOptions.defaults().channel(ChannelId.of("tg"))))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.DO_NOT_CONTACT);
                    assertThat(e.channel()).isEqualTo(ChannelId.of("tg"));
                    assertThat(e.customer()).isEqualTo(c.customer());
                })
                .hasMessageContaining("telegram");
        assertThat(inbox.messages(c.id())).hasSize(before);
        assertThat(inbox.pendingOutboxCount()).isZero();

        // the customer last wrote on Telegram, but the preference says otherwise: the default goes to the site
        Message reply = inbox.reply(c.id(), Content.text("hello"));
        assertThat(reply.channel()).isEqualTo(ChannelId.of("web"));
        await().atMost(WAIT).until(() -> web.sent().size() == 1);
        assertThat(tg.attempts()).isEmpty();

        // with every channel refused, the default reply says why
        inbox.updatePreferences(TenantId.DEFAULT, c.customer(), p -> p.withDoNotContact(ChannelType.WEBCHAT));
        assertThatThrownBy(() -> inbox.reply(c.id(), Content.text("hello")))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e ->
                        assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.DO_NOT_CONTACT));
    }

    @Test
    public void aBlockedAccountIsQuarantinedAndCannotBeWrittenTo() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hello"));
        Conversation c = onlyConversation(inbox);
        inbox.block(tg.account("42").key(), true);

        done(tg.receive("42", "spam"));
        assertThat(inbox.messages(c.id())).extracting(m -> m.content().plainText()).containsExactly("hello");
        assertThat(inbox.quarantined(10)).extracting(q -> q.input().reason()).containsExactly("account blocked");
        assertThatThrownBy(() -> inbox.reply(c.id(), Content.text("hi")))
                .isInstanceOfSatisfying(ContactNotAllowedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.ACCOUNT_BLOCKED));
    }

    @Test
    public void aCustomerWhoBlockedUsIsRefusedUntilTheyUnblock() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hello"));
        Conversation c = onlyConversation(inbox);
        done(tg.deliver(new InboundEvent.AccountUpdate("blk-1", tg.account("42"), Instant.now(),
                InboundEvent.AccountUpdate.Kind.BLOCKED_US, List.of())));

        assertThatThrownBy(() -> inbox.reply(c.id(), Content.text("hi")))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e ->
                        assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.RECIPIENT_BLOCKED_US));

        done(tg.deliver(new InboundEvent.AccountUpdate("unblk-1", tg.account("42"), Instant.now(),
                InboundEvent.AccountUpdate.Kind.UNBLOCKED_US, List.of())));
        inbox.reply(c.id(), Content.text("hi"));
        await().atMost(WAIT).until(() -> tg.sent().size() == 1);
    }

    @Test
    public void aLongReplyIsSplitIntoSeveralOutboxRowsSentInOrder() throws Exception {
        Capabilities small = Capabilities.builder().maxTextLength(60, dev.switchboard.channel.TextLengthUnit
                .CODE_POINTS).build();
        FakeChannel sms = FakeChannel.of(TenantId.DEFAULT, "sms", ChannelType.of("sms"), small);
        InboxStore store = store();
        Inbox inbox = started(fastInbox(store).channel(sms));
        done(sms.receive("+79160000000", "hi"));
        Conversation c = onlyConversation(inbox);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            text.append("Sentence number ").append(i).append(" is here. ");
        }
        // fail the first attempt of part 0 so later parts must wait for it
        sms.failNext(new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.of("503"), "busy"));
        Message reply = inbox.reply(c.id(), Content.text(text.toString().strip()));

        List<OutboxEntry> rows = store.inTransaction(tx -> {
            List<OutboxEntry> out = new ArrayList<>();
            for (int i = 0; tx.outboxEntry(reply.id() + ":" + i).isPresent(); i++) {
                out.add(tx.outboxEntry(reply.id() + ":" + i).orElseThrow());
            }
            return out;
        });
        assertThat(rows.size()).isGreaterThanOrEqualTo(4);
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        assertThat(sms.sent()).hasSize(rows.size());
        assertThat(sms.sent()).extracting(a -> a.message().part())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, rows.size()).boxed().toList());
        assertThat(String.join(" ", sms.sentTexts()).replaceAll("\\s+", " "))
                .isEqualTo(text.toString().strip().replaceAll("\\s+", " "));
    }

    @Test
    public void aNumberedReplyToDegradedChoicesBecomesAPostback() throws Exception {
        FakeChannel sms = FakeChannel.of("sms", ChannelType.of("sms")); // no buttons: choices become a numbered list
        Inbox inbox = started(fastInbox(store()).channel(sms));
        done(sms.receive("+79160000000", "I want to order"));
        Conversation c = onlyConversation(inbox);
        inbox.reply(c.id(), Content.of(Choices.of("Which size?", Choice.postback("Small", "SIZE_S"),
                Choice.postback("Large", "SIZE_L"))));
        await().atMost(WAIT).until(() -> sms.sent().size() == 1);
        assertThat(sms.sentTexts().get(0)).contains("1").contains("2").contains("Large");

        done(sms.receive("+79160000000", " 2. "));

        List<InboxEvent> postbacks = eventsOf(inbox, InboxEvent.Type.POSTBACK_RECEIVED);
        assertThat(postbacks).hasSize(1);
        assertThat(postbacks.get(0).attributes()).containsEntry("payload", "SIZE_L");
        assertThat(postbacks.get(0).conversation()).contains(c.id());
    }

    /** A reply is rendered for the recipient's own client: one without buttons gets numbers that map back. */
    @Test
    public void aReplyIsRenderedWithTheRecipientsCapabilities() throws Exception {
        Capabilities buttons = Capabilities.builder().buttons(10, 40).build();
        FakeChannel vk = FakeChannel.of(TenantId.DEFAULT, "vk", ChannelType.VK, buttons)
                .recipientCapabilities("2002", buttons.withoutButtons());
        Inbox inbox = started(fastInbox(store()).channel(vk));
        done(vk.receive("2002", "I want to order"));
        Conversation c = onlyConversation(inbox);
        inbox.reply(c.id(), Content.of(Choices.of("Which size?", Choice.postback("Small", "SIZE_S"),
                Choice.postback("Large", "SIZE_L"))));
        await().atMost(WAIT).until(() -> vk.sent().size() == 1);
        Bubble.TextBubble sent = (Bubble.TextBubble) vk.sent().get(0).message().bubble();
        assertThat(sent.buttons()).isEmpty();
        assertThat(sent.plain()).contains("2. Large");

        done(vk.receive("2002", "2"));
        assertThat(eventsOf(inbox, InboxEvent.Type.POSTBACK_RECEIVED)).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("payload", "SIZE_L"));
    }

    @Test
    public void deliveryUpdatesMoveTheStatusForwardOnly() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hi"));
        Conversation c = onlyConversation(inbox);
        Message reply = inbox.reply(c.id(), Content.text("hello"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        String pid = tg.sent().get(0).platformMessageId().orElseThrow();

        done(tg.deliver(new InboundEvent.DeliveryUpdate("d1", tg.account("42"), Instant.now(), pid,
                DeliveryStatus.READ, Optional.empty())));
        done(tg.deliver(new InboundEvent.DeliveryUpdate("d2", tg.account("42"), Instant.now(), pid,
                DeliveryStatus.DELIVERED, Optional.empty())));

        assertThat(inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.READ);
        assertThat(eventsOf(inbox, InboxEvent.Type.DELIVERY_STATUS_CHANGED))
                .extracting(e -> e.attributes().get("status")).containsExactly("QUEUED", "SENT", "READ");
    }

    @Test
    public void aButtonPressIsAnEventInTheConversationAndIsAcknowledgedAfterCommit() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hi"));
        Conversation c = onlyConversation(inbox);
        InboundEvent.Postback press = new InboundEvent.Postback("cb-1", tg.account("42"), Instant.now(), "SIZE_L",
                Optional.empty(), Optional.of("callback-77"));
        done(tg.deliver(press));
        done(tg.deliver(press));

        assertThat(eventsOf(inbox, InboxEvent.Type.POSTBACK_RECEIVED)).singleElement().satisfies(e -> {
            assertThat(e.attributes()).containsEntry("payload", "SIZE_L");
            assertThat(e.conversation()).contains(c.id());
        });
        await().atMost(WAIT).until(() -> tg.acknowledgedPostbacks().size() == 1);
    }

    @Test
    public void aTypedPhoneSuggestsAMergeAndAMergedCustomersTimelineShowsBothHistories() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        done(tg.deliver(tg.text("42", "telegram history", List.of(verifiedPhone("+79161234567")))));
        done(web.receive("v1", "call me at +7 916 123-45-67"));

        List<Conversation> two = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items();
        assertThat(two).hasSize(2);
        assertThat(eventsOf(inbox, InboxEvent.Type.MERGE_SUGGESTED)).isNotEmpty();
        var suggestion = inbox.suggestions(TenantId.DEFAULT, 10);
        assertThat(suggestion).isNotEmpty();

        inbox.decide(TenantId.DEFAULT, suggestion.get(0).id(), true, "agent-alice");
        assertThat(eventsOf(inbox, InboxEvent.Type.CUSTOMERS_MERGED)).hasSize(1);
        CustomerId survivor = eventsOf(inbox, InboxEvent.Type.CUSTOMERS_MERGED).get(0).customer().orElseThrow();
        for (Conversation c : two) {
            assertThat(inbox.customer(c.customer()).orElseThrow().id()).isEqualTo(survivor);
            assertThat(inbox.timeline(c.customer(), PageRequest.first(10)).items())
                    .extracting(m -> m.content().plainText())
                    .containsExactly("telegram history", "call me at +7 916 123-45-67");
        }
    }

    @Test
    public void aMergeFoldsThePersonsOpenConversationsIntoTheNewestAndItKeepsTheAgent() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        done(tg.deliver(tg.text("42", "telegram question", List.of(verifiedPhone("+79161234567")))));
        Conversation older = onlyConversation(inbox);
        inbox.assign(older.id(), "agent-bob");
        done(web.receive("v1", "call me at +7 916 123-45-67"));
        inbox.decide(TenantId.DEFAULT, inbox.suggestions(TenantId.DEFAULT, 10).get(0).id(), true, "agent-alice");

        List<Conversation> all = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items();
        assertThat(all).hasSize(2);
        Conversation kept = all.stream().filter(c -> c.status() != ConversationStatus.RESOLVED).findFirst().orElseThrow();
        Conversation folded = all.stream().filter(c -> c.status() == ConversationStatus.RESOLVED).findFirst().orElseThrow();
        assertThat(folded.id()).isEqualTo(older.id());
        assertThat(folded.tags()).contains("merged");
        assertThat(kept.assignee()).contains("agent-bob");
        assertThat(eventsOf(inbox, InboxEvent.Type.CONVERSATION_RESOLVED)).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("into", kept.id().value()));

        done(tg.receive("42", "any news?"));
        assertThat(inbox.messages(kept.id())).extracting(m -> m.content().plainText()).endsWith("any news?");
        assertThat(inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items())
                .filteredOn(c -> c.status() != ConversationStatus.RESOLVED).hasSize(1);
    }

    @Test
    public void underThePerChannelPolicyAMergeKeepsOneOpenConversationPerChannel() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web)
                .threading(ThreadingPolicy.PER_CUSTOMER_AND_CHANNEL));
        done(tg.deliver(tg.text("42", "telegram question", List.of(verifiedPhone("+79161234567")))));
        done(web.receive("v1", "call me at +7 916 123-45-67"));
        inbox.decide(TenantId.DEFAULT, inbox.suggestions(TenantId.DEFAULT, 10).get(0).id(), true, "agent-alice");
        assertThat(inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items())
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(ConversationStatus.OPEN));
        assertThat(eventsOf(inbox, InboxEvent.Type.CONVERSATION_RESOLVED)).isEmpty();
    }

    @Test
    public void anAgentMergeCanBeUndoneAndEachStepIsAnEvent() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT);
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        done(tg.receive("42", "from telegram"));
        done(web.receive("v1", "from the site"));
        CustomerId a = inbox.customerByAccount(tg.account("42").key()).orElseThrow().id();
        CustomerId b = inbox.customerByAccount(web.account("v1").key()).orElseThrow().id();
        assertThat(a).isNotEqualTo(b);

        var merge = inbox.merge(TenantId.DEFAULT, a, b, "agent-alice", "same person, confirmed by phone");
        assertThat(inbox.timeline(merge.absorbed(), PageRequest.first(10)).items()).hasSize(2);
        assertThat(eventsOf(inbox, InboxEvent.Type.CUSTOMERS_MERGED)).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("actor", "agent-alice"));

        var undone = inbox.unmerge(TenantId.DEFAULT, merge.id(), "agent-bob");
        assertThat(eventsOf(inbox, InboxEvent.Type.MERGE_UNDONE)).hasSize(1);
        assertThat(inbox.timeline(undone.restored().id(), PageRequest.first(10)).items()).hasSize(1);
        assertThat(inbox.timeline(undone.survivor().id(), PageRequest.first(10)).items()).hasSize(1);

        // the host vouches that the web visitor is the Telegram user: linked, merged, one history again
        inbox.link(web.account("v1").key(), a, "host-login");
        assertThat(inbox.customerByAccount(web.account("v1").key()).orElseThrow().id())
                .isEqualTo(inbox.customer(a).orElseThrow().id());
        assertThat(inbox.timeline(a, PageRequest.first(10)).items()).hasSize(2);
    }

    @Test
    public void twoNodesSendEachOutboxRowExactlyOnce() throws Exception {
        InboxStore shared = store();
        FakeChannel tg1 = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel tg2 = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox node1 = started(fastInbox(shared).nodeId("node-1").channel(tg1));
        Inbox node2 = started(fastInbox(shared).nodeId("node-2").channel(tg2));
        for (int user = 0; user < 10; user++) {
            done(tg1.receive("user-" + user, "hello"));
        }
        Set<String> written = new HashSet<>();
        for (Conversation c : node1.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items()) {
            for (int i = 0; i < 5; i++) {
                written.add(node1.reply(c.id(), Content.text("reply " + i)).id() + ":0");
            }
        }
        await().atMost(WAIT).until(() -> tg1.sent().size() + tg2.sent().size() == written.size());
        // closing lets every send in flight finish and be recorded, so a duplicate cannot arrive after the check
        node1.close();
        node2.close();
        List<String> keys = new ArrayList<>();
        tg1.sent().forEach(a -> keys.add(a.message().idempotencyKey()));
        tg2.sent().forEach(a -> keys.add(a.message().idempotencyKey()));
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    public void rowsClaimedByADeadNodeAreSentAfterTheirLeaseExpires() throws Exception {
        InboxStore shared = store();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(shared).channel(tg));
        done(tg.receive("42", "hi"));
        Conversation c = onlyConversation(inbox);
        inbox.close();

        Inbox writer = Inbox.builder().store(shared).channel(FakeChannel.of("tg", ChannelType.TELEGRAM)).build();
        cleanup.add(writer);
        Message reply = writer.reply(c.id(), Content.text("claimed by a node that then died"));
        Instant now = Instant.now();
        List<OutboxEntry> stolen = shared.inTransaction(tx -> tx.claimOutbox(now, 10, "dead-node",
                now.plusMillis(800)));
        assertThat(stolen).hasSize(1);

        FakeChannel survivorChannel = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox survivor = started(fastInbox(shared).nodeId("survivor").channel(survivorChannel));
        await().atMost(WAIT).until(() -> survivorChannel.sent().size() == 1);
        assertThat(survivorChannel.sent().get(0).startedAt()).isAfterOrEqualTo(now.plusMillis(800));
        await().atMost(WAIT).until(() -> survivor.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
    }

    // ---- ack after commit --------------------------------------------------------------------------------------

    @Test
    public void theChannelsStageCompletesOnlyAfterCommit() throws Exception {
        GatedStore gated = new GatedStore(store());
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(gated).channel(tg));
        gated.holdIngest.set(true);

        CompletableFuture<Void> stage = tg.receive("42", "hello").toCompletableFuture();
        assertThat(gated.reachedCommit.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // the work ran and waits to commit: the channel must not have been told to acknowledge yet
        assertThat(stage).isNotDone();

        gated.holdIngest.set(false);
        gated.release.countDown();
        stage.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(onlyConversation(inbox)).isNotNull();
    }

    @Test
    public void aFailingStoreFailsTheStageAndTheRedeliveryIsStoredOnce() throws Exception {
        GatedStore gated = new GatedStore(store());
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(gated).channel(tg));
        InboundEvent.MessageReceived hello = tg.text("42", "hello");

        gated.failIngest.set(true);
        CompletableFuture<Void> failed = tg.deliver(hello).toCompletableFuture();
        assertThatThrownBy(() -> failed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasRootCauseMessage("disk full (test)");
        assertThat(inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items()).isEmpty();

        gated.failIngest.set(false);
        done(tg.deliver(hello));
        done(tg.deliver(hello));
        assertThat(inbox.messages(onlyConversation(inbox).id())).hasSize(1);
    }

    // ---- quarantine --------------------------------------------------------------------------------------------

    @Test
    public void unparseableInputIsQuarantinedVisiblyAndDoesNotBlockLaterEvents() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        CompletableFuture<Void> bad = tg.reject("{not json", "malformed JSON at offset 1").toCompletableFuture();
        CompletableFuture<Void> good = tg.receive("42", "after the bad one").toCompletableFuture();
        bad.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        good.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(inbox.quarantined(10)).singleElement().satisfies(q -> {
            assertThat(new String(q.input().raw(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(q.input().reason()).isEqualTo("malformed JSON at offset 1");
            assertThat(q.input().channel()).isEqualTo(ChannelId.of("tg"));
        });
        assertThat(eventsOf(inbox, InboxEvent.Type.INPUT_QUARANTINED)).hasSize(1);
        assertThat(inbox.messages(onlyConversation(inbox).id())).extracting(m -> m.content().plainText())
                .containsExactly("after the bad one");
    }

    @Test
    public void anEventThatCannotBeProcessedIsQuarantinedAndDoesNotHoldUpTheChannel() throws Exception {
        InboxStore base = store();
        // a store whose saveMessage fails for one particular message: a poison event, while the store itself works
        InboxStore poisoned = new InboxStore() {
            @Override
            public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
                return base.inTransaction(tx -> work.run(poison(tx)));
            }

            @Override
            public Optional<Lease> tryAcquireLease(String name, String owner) {
                return base.tryAcquireLease(name, owner);
            }

            @Override
            public void close() {
            }
        };
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(poisoned).channel(tg));
        InboundEvent.MessageReceived bad = tg.text("42", "poison");
        CompletableFuture<Void> badStage = tg.deliver(bad).toCompletableFuture();
        CompletableFuture<Void> goodStage = tg.receive("42", "fine").toCompletableFuture();
        badStage.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        goodStage.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        done(tg.deliver(bad)); // the redelivery is recognised, not processed again

        assertThat(inbox.quarantined(10)).singleElement().satisfies(q -> {
            assertThat(q.input().reason()).startsWith("could not be processed").contains("poison rejected");
            assertThat(q.input().platformEventId()).contains(bad.eventId());
            assertThat(new String(q.input().raw(), java.nio.charset.StandardCharsets.UTF_8)).contains("poison");
        });
        assertThat(inbox.messages(onlyConversation(inbox).id())).extracting(m -> m.content().plainText())
                .containsExactly("fine");
    }

    @Test
    public void anEventThatFailsTransientlyIsNotQuarantinedAndItsRedeliveryIsStored() throws Exception {
        InboxStore base = store();
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger(1);
        // the store loses its connection while storing one event, then recovers
        InboxStore flaky = new InboxStore() {
            @Override
            public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
                return base.inTransaction(tx -> work.run(dropConnectionOnce(tx, failuresLeft)));
            }

            @Override
            public Optional<Lease> tryAcquireLease(String name, String owner) {
                return base.tryAcquireLease(name, owner);
            }

            @Override
            public boolean isTransient(Throwable failure) {
                return failure instanceof java.io.UncheckedIOException;
            }

            @Override
            public void close() {
            }
        };
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(flaky).channel(tg));
        InboundEvent.MessageReceived flakyEvent = tg.text("42", "flaky");
        CompletableFuture<Void> first = tg.deliver(flakyEvent).toCompletableFuture();
        assertThatThrownBy(() -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasRootCauseMessage("connection reset (test)");
        assertThat(inbox.quarantined(10)).isEmpty();

        done(tg.deliver(flakyEvent)); // the platform retries
        done(tg.deliver(flakyEvent));
        assertThat(inbox.quarantined(10)).isEmpty();
        assertThat(inbox.messages(onlyConversation(inbox).id())).extracting(m -> m.content().plainText())
                .containsExactly("flaky");
    }

    private static InboxTransaction dropConnectionOnce(InboxTransaction tx,
                                                       java.util.concurrent.atomic.AtomicInteger failuresLeft) {
        return (InboxTransaction) java.lang.reflect.Proxy.newProxyInstance(InboxTransaction.class.getClassLoader(),
                new Class<?>[] {InboxTransaction.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveMessage") && failuresLeft.getAndDecrement() > 0) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("connection reset (test)"));
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static InboxTransaction poison(InboxTransaction tx) {
        return (InboxTransaction) java.lang.reflect.Proxy.newProxyInstance(InboxTransaction.class.getClassLoader(),
                new Class<?>[] {InboxTransaction.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveMessage")
                            && ((Message) args[0]).content().plainText().equals("poison")) {
                        throw new IllegalArgumentException("poison rejected by the store (test)");
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---- events ------------------------------------------------------------------------------------------------

    @Test
    public void theEventFeedCanBeReadFromACursorWithoutGapsOrRepeats() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        for (int i = 0; i < 10; i++) {
            done(tg.receive("u" + (i % 4), "m" + i));
        }
        List<InboxEvent> seen = new ArrayList<>();
        long cursor = 0;
        for (List<InboxEvent> page = inbox.events(cursor, 7); !page.isEmpty(); page = inbox.events(cursor, 7)) {
            seen.addAll(page);
            cursor = page.get(page.size() - 1).seq();
        }
        // "downtime": more happens while the reader is away, then it catches up from its cursor
        for (int i = 10; i < 15; i++) {
            done(tg.receive("u" + (i % 4), "m" + i));
        }
        for (List<InboxEvent> page = inbox.events(cursor, 7); !page.isEmpty(); page = inbox.events(cursor, 7)) {
            seen.addAll(page);
            cursor = page.get(page.size() - 1).seq();
        }
        List<Long> seqs = seen.stream().map(InboxEvent::seq).toList();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).isEqualTo(seqs.size());
        assertThat(seen.stream().filter(e -> e.type() == InboxEvent.Type.MESSAGE_RECEIVED)).hasSize(15);
        assertThat(seen.stream().filter(e -> e.type() == InboxEvent.Type.CONVERSATION_OPENED)).hasSize(4);
    }

    @Test
    public void listenersGetEveryEventInOrderAndAFailingListenerDoesNotStopOthers() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        List<InboxEvent> received = Collections.synchronizedList(new ArrayList<>());
        Inbox inbox = started(fastInbox(store()).channel(tg)
                .listener(e -> {
                    throw new IllegalStateException("broken listener");
                })
                .listener(received::add));
        List<InboxEvent> late = Collections.synchronizedList(new ArrayList<>());
        Subscription handle = inbox.addListener(late::add);
        for (int i = 0; i < 5; i++) {
            done(tg.receive("42", "m" + i));
        }
        await().atMost(WAIT).until(() -> received.stream()
                .filter(e -> e.type() == InboxEvent.Type.MESSAGE_RECEIVED).count() == 5);
        assertThat(received).extracting(InboxEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(received).extracting(InboxEvent::seq)
                .containsExactlyElementsOf(inbox.events(0, 100).stream().map(InboxEvent::seq).toList());
        await().atMost(WAIT).until(() -> late.size() == received.size());

        handle.close();
        done(tg.receive("42", "after removal"));
        await().atMost(WAIT).until(() -> received.size() == inbox.events(0, 100).size());
        assertThat(late.size()).isLessThan(received.size());
    }

    @Test
    public void aFirstListenerAddedToARunningInboxGetsWhatHappensFromThenOn() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg)); // nobody listens: the feed is not read
        done(tg.receive("42", "before"));
        long last = inbox.events(0, 100).get(inbox.events(0, 100).size() - 1).seq();

        List<InboxEvent> received = Collections.synchronizedList(new ArrayList<>());
        inbox.addListener(received::add);
        done(tg.receive("42", "after"));
        await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.type() == InboxEvent.Type.MESSAGE_RECEIVED)
                && received.size() >= inbox.events(last, 100).size());
        assertThat(received).extracting(InboxEvent::seq).allMatch(seq -> seq > last).isSorted();
        assertThat(received).extracting(InboxEvent::seq).containsExactlyElementsOf(
                inbox.events(last, 100).stream().map(InboxEvent::seq).toList());
    }

    // ---- delivery ----------------------------------------------------------------------------------------------

    /**
     * The fault test: 20% of sends fail with a mix of 429 with retry-after, 5xx, timeouts and permanent errors. Every
     * message without a permanent failure ends sent, the permanent ones end failed with the reason, and no attempt
     * starts before the previous attempt's failure time plus its retry-after.
     */
    @Test
    public void faultInjectedSendsEndSentOrFailedAndRetryAfterIsHonoured() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Random random = new Random(20261123);
        tg.sendPolicy(m -> {
            synchronized (random) {
                if (random.nextDouble() >= 0.2) {
                    return new FakeChannel.Succeed();
                }
                switch (random.nextInt(4)) {
                    case 0:
                        return new FakeChannel.Fail(SendFailure.rateLimited(
                                Duration.ofMillis(300 + random.nextInt(500)), "429", "Too Many Requests"));
                    case 1:
                        return new FakeChannel.Fail(SendFailure.of(FailureKind.UNAVAILABLE, "502", "Bad Gateway"));
                    case 2:
                        return new FakeChannel.Hang();
                    default:
                        return new FakeChannel.Fail(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "403",
                                "Forbidden: bot was blocked by the user"));
                }
            }
        });
        Inbox inbox = started(Inbox.builder().store(store()).channel(tg).eventPollInterval(Duration.ofMillis(50))
                .outbox(OutboxSettings.builder().workers(8).pollInterval(Duration.ofMillis(20)).maxAttempts(50)
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                        .sendTimeout(Duration.ofMillis(300)).leaseDuration(Duration.ofSeconds(3)).build()));
        List<Message> replies = new ArrayList<>();
        for (int user = 0; user < 20; user++) {
            done(tg.receive("user-" + user, "hello"));
        }
        for (Conversation c : inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items()) {
            for (int i = 0; i < 3; i++) {
                try {
                    replies.add(inbox.reply(c.id(), Content.text("reply " + i)));
                } catch (ContactNotAllowedException e) {
                    // An earlier reply to this customer already failed with the 403 and marked them "blocked us"
                    // (on a fast store the workers get there while the replies are still being queued).
                    assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.RECIPIENT_BLOCKED_US);
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> replies.stream().allMatch(r -> {
            DeliveryStatus s = inbox.message(TenantId.DEFAULT, r.id()).orElseThrow().status();
            return s == DeliveryStatus.SENT || s == DeliveryStatus.FAILED;
        }));

        Map<String, List<FakeChannel.Attempt>> byRow = new HashMap<>();
        for (FakeChannel.Attempt a : tg.attempts()) {
            byRow.computeIfAbsent(a.message().idempotencyKey(), k -> new ArrayList<>()).add(a);
        }
        int failures = 0;
        for (Message r : replies) {
            Message stored = inbox.message(TenantId.DEFAULT, r.id()).orElseThrow();
            List<FakeChannel.Attempt> attempts = byRow.get(r.id() + ":0");
            assertThat(attempts).as("attempts of %s", r.id()).isNotEmpty();
            boolean permanent = attempts.stream().anyMatch(a -> a.failure().isPresent()
                    && !a.failure().get().retryable());
            if (permanent) {
                failures++;
                assertThat(stored.status()).isEqualTo(DeliveryStatus.FAILED);
                assertThat(stored.failureReason()).hasValueSatisfying(reason ->
                        assertThat(reason).contains("RECIPIENT_UNREACHABLE").contains("bot was blocked"));
                assertThat(attempts.get(attempts.size() - 1).failure()).isPresent();
            } else {
                assertThat(stored.status()).as("status of %s", r.id()).isEqualTo(DeliveryStatus.SENT);
                assertThat(attempts.get(attempts.size() - 1).succeeded()).isTrue();
                assertThat(attempts.stream().filter(FakeChannel.Attempt::succeeded)).hasSize(1);
            }
            for (int i = 1; i < attempts.size(); i++) {
                FakeChannel.Attempt previous = attempts.get(i - 1);
                Optional<Duration> retryAfter = previous.failure().flatMap(SendFailure::retryAfter);
                if (retryAfter.isPresent()) {
                    assertThat(attempts.get(i).startedAt()).as("attempt %d of %s", i, r.id())
                            .isAfterOrEqualTo(previous.endedAt().plus(retryAfter.get()));
                }
            }
        }
        long retried = byRow.values().stream().filter(a -> a.size() > 1).count();
        assertThat(retried).as("some sends were retried").isPositive();
        assertThat(tg.attempts().stream().anyMatch(a -> a.failure().flatMap(SendFailure::retryAfter).isPresent()))
                .isTrue();
        assertThat(tg.attempts().stream().anyMatch(FakeChannel.Attempt::hung)).isTrue();
        assertThat(inbox.pendingOutboxCount()).isZero();
        assertThat(eventsOf(inbox, InboxEvent.Type.DELIVERY_STATUS_CHANGED)
                .stream().filter(e -> "FAILED".equals(e.attributes().get("status")))).hasSize(failures);
    }

    @Test
    public void sendsStayWithinTheChannelsRateLimitsInEveryWindow() throws Exception {
        RateLimit global = new RateLimit(6, Duration.ofMillis(400));
        RateLimit perRecipient = new RateLimit(2, Duration.ofMillis(400));
        Capabilities caps = Capabilities.builder().globalRateLimit(global).perRecipientRateLimit(perRecipient)
                .build();
        FakeChannel tg = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM, caps);
        FakeChannel web = FakeChannel.of("web", ChannelType.WEBCHAT); // unlimited: must not wait for tg
        Inbox inbox = started(fastInbox(store()).channel(tg).channel(web));
        for (int user = 0; user < 4; user++) {
            done(tg.receive("user-" + user, "hello"));
        }
        done(web.receive("visitor", "hello"));
        List<Conversation> conversations = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        for (int i = 0; i < 5; i++) {
            for (Conversation c : conversations) {
                inbox.reply(c.id(), Content.text("reply " + i));
            }
        }
        await().atMost(WAIT).until(() -> web.sent().size() == 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> tg.sent().size() == 20);

        assertWithinLimit(tg.sent(), global, a -> "all");
        assertWithinLimit(tg.sent(), perRecipient, a -> a.message().recipient().platformUserId());
        // each recipient's messages arrive in the order they were written
        for (int user = 0; user < 4; user++) {
            String u = "user-" + user;
            assertThat(tg.sent().stream().filter(a -> a.message().recipient().platformUserId().equals(u))
                    .map(a -> a.message().bubble().plain()).toList())
                    .containsExactly("reply 0", "reply 1", "reply 2", "reply 3", "reply 4");
        }
    }

    @Test
    public void aRetryAfterHoldsTheRecipientsOtherMessagesToo() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hi"));
        done(tg.receive("43", "hi"));
        Conversation c42 = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .filter(c -> !inbox.messages(c.id()).isEmpty()
                        && inbox.messages(c.id()).get(0).account().platformUserId().equals("42"))
                .findFirst().orElseThrow();
        Conversation c43 = inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .filter(c -> !c.id().equals(c42.id())).findFirst().orElseThrow();
        tg.failNext(SendFailure.rateLimited(Duration.ofMillis(1500), "429", "Too Many Requests: retry after 1.5"));
        inbox.reply(c42.id(), Content.text("first"));
        await().atMost(WAIT).until(() -> tg.attempts().size() == 1);
        inbox.reply(c42.id(), Content.text("second"));
        inbox.reply(c43.id(), Content.text("other recipient"));

        await().atMost(WAIT).until(() -> tg.sent().size() == 3);
        FakeChannel.Attempt limited = tg.attempts().get(0);
        Instant notBefore = limited.endedAt().plus(Duration.ofMillis(1500));
        assertThat(tg.sent()).filteredOn(a -> a.message().recipient().platformUserId().equals("42"))
                .extracting(a -> a.message().bubble().plain()).containsExactly("first", "second");
        assertThat(tg.sent()).filteredOn(a -> a.message().recipient().platformUserId().equals("42"))
                .allSatisfy(a -> assertThat(a.startedAt()).isAfterOrEqualTo(notBefore));
        // another recipient is not held up by the 429 of this one
        assertThat(tg.sent()).filteredOn(a -> a.message().recipient().platformUserId().equals("43"))
                .singleElement().satisfies(a -> assertThat(a.startedAt()).isBefore(notBefore));
    }

    private static void assertWithinLimit(List<FakeChannel.Attempt> sends, RateLimit limit,
                                          java.util.function.Function<FakeChannel.Attempt, String> group) {
        Map<String, List<Long>> starts = new HashMap<>();
        for (FakeChannel.Attempt a : sends) {
            starts.computeIfAbsent(group.apply(a), k -> new ArrayList<>()).add(a.startedNanos());
        }
        long period = limit.period().toNanos();
        for (Map.Entry<String, List<Long>> e : starts.entrySet()) {
            List<Long> times = new ArrayList<>(e.getValue());
            Collections.sort(times);
            for (int i = 0; i + limit.permits() < times.size(); i++) {
                assertThat(times.get(i + limit.permits()) - times.get(i))
                        .as("%s: sends %d..%d fall within one %s window", e.getKey(), i, i + limit.permits(),
                                limit.period())
                        .isGreaterThanOrEqualTo(period);
            }
        }
    }

    // ---- outcomes that must never be lost or repeated -----------------------------------------------------------

    private static Optional<OutboxEntry> row(InboxStore store, Message message) {
        return store.inTransaction(tx -> tx.outboxEntry(message.id().value() + ":0"));
    }

    /** A node's view of a shared store that counts the node's lease attempts (it leaves closing to the owner). */
    private static final class LeaseAttempts implements InboxStore {
        private final InboxStore shared;
        private final AtomicInteger attempts = new AtomicInteger();

        LeaseAttempts(InboxStore shared) {
            this.shared = shared;
        }

        int attempts() {
            return attempts.get();
        }

        @Override
        public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
            return shared.inTransaction(work);
        }

        @Override
        public Optional<Lease> tryAcquireLease(String name, String owner) {
            Optional<Lease> lease = shared.tryAcquireLease(name, owner);
            attempts.incrementAndGet();
            return lease;
        }

        @Override
        public boolean isTransient(Throwable failure) {
            return shared.isTransient(failure);
        }

        @Override
        public boolean sharesSendPacing() {
            return shared.sharesSendPacing();
        }

        @Override
        public void close() {
        }
    }

    @Test
    public void aPlatformIdAlreadyStoredForTheChannelIsKeptAsDataAndEveryReplyIsSentOnce() throws Exception {
        InboxStore store = store();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        tg.sendPolicy(m -> new FakeChannel.Succeed(Optional.of("777"))); // a gateway that repeats its ids
        Inbox inbox = started(fastInbox(store).channel(tg));
        done(tg.receive("42", "hi"));
        Conversation c = onlyConversation(inbox);
        Message first = inbox.reply(c.id(), Content.text("first"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, first.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        Message second = inbox.reply(c.id(), Content.text("second"));

        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        inbox.close(); // sends in flight finish and are recorded: nothing can be sent after the count below
        assertThat(tg.attempts()).hasSize(2);
        assertThat(inbox.message(TenantId.DEFAULT, first.id()).orElseThrow().platformMessageId()).contains("777");
        assertThat(inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().platformMessageId()).isEmpty();
        OutboxEntry secondRow = row(store, second).orElseThrow();
        assertThat(secondRow.status()).isEqualTo(OutboxEntry.Status.SENT);
        assertThat(secondRow.lastError()).hasValueSatisfying(note -> assertThat(note)
                .contains("777").contains("already stored for message " + first.id().value()));
        await().atMost(WAIT).until(() -> eventsOf(inbox, InboxEvent.Type.DELIVERY_STATUS_CHANGED).stream()
                .anyMatch(e -> e.message().equals(Optional.of(second.id()))
                        && "777".equals(e.attributes().get("platformMessageId"))
                        && first.id().value().equals(e.attributes().get("platformMessageIdCollision"))));
        assertThat(inbox.pendingOutboxCount()).isZero();
    }

    /**
     * Customers 42 and 43 write on {@code channel}; the reply to 42 is made and sent before the reply to 43 is made, so
     * a platform that hands out ids by key sees 42's send first. Returns both replies, 42's first.
     */
    private static List<Message> repliesToTwoCustomers(Inbox inbox, FakeChannel channel) throws Exception {
        done(channel.receive("42", "hi"));
        done(channel.receive("43", "hi"));
        Message first = inbox.reply(conversationOf(inbox, "42").id(), Content.text("to 42"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, first.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        return List.of(first, inbox.reply(conversationOf(inbox, "43").id(), Content.text("to 43")));
    }

    private static Conversation conversationOf(Inbox inbox, String platformUserId) {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items().stream()
                .filter(c -> inbox.customer(TenantId.DEFAULT, c.customer()).orElseThrow().accounts().stream()
                        .anyMatch(a -> a.account().platformUserId().equals(platformUserId)))
                .findFirst().orElseThrow();
    }

    @Test
    public void aSendDeduplicatedAgainstAnotherMessageIsSentAgainUnderADerivedKey() throws Exception {
        InboxStore store = store();
        FakeChannel vk = FakeChannel.of("vk", ChannelType.VK).deduplicatesSendsByIdempotencyKey(true);
        KeyDeduplicatingPlatform platform = new KeyDeduplicatingPlatform(false);
        vk.sendPolicy(platform);
        Inbox inbox = started(fastInbox(store).channel(vk));
        List<Message> replies = repliesToTwoCustomers(inbox, vk);
        Message first = replies.get(0);
        Message second = replies.get(1);
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        inbox.close();
        assertThat(platform.received()).isEqualTo(Map.of("42", List.of("to 42"), "43", List.of("to 43")));
        assertThat(vk.attempts()).extracting(a -> a.message().idempotencyKey())
                .containsExactly(first.id().value() + ":0", second.id().value() + ":0", second.id().value() + ":0~1");
        assertThat(inbox.message(TenantId.DEFAULT, first.id()).orElseThrow().platformMessageId()).contains("vk-1");
        assertThat(inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().platformMessageId()).contains("vk-2");
        OutboxEntry secondRow = row(store, second).orElseThrow();
        assertThat(secondRow.status()).isEqualTo(OutboxEntry.Status.SENT);
        assertThat(secondRow.message().idempotencyKey()).isEqualTo(second.id().value() + ":0~1");
        assertThat(secondRow.attempts()).isEqualTo(1);
        assertThat(inbox.pendingOutboxCount()).isZero();
    }

    @Test
    public void aChannelThatDoesNotDeduplicateByKeyKeepsARepeatedIdAsData() throws Exception {
        InboxStore store = store();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM); // ids may repeat across chats
        KeyDeduplicatingPlatform platform = new KeyDeduplicatingPlatform(false);
        tg.sendPolicy(platform);
        Inbox inbox = started(fastInbox(store).channel(tg));
        List<Message> replies = repliesToTwoCustomers(inbox, tg);
        Message first = replies.get(0);
        Message second = replies.get(1);
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        inbox.close();
        assertThat(tg.attempts()).hasSize(2);
        OutboxEntry secondRow = row(store, second).orElseThrow();
        assertThat(secondRow.status()).isEqualTo(OutboxEntry.Status.SENT);
        assertThat(secondRow.message().idempotencyKey()).isEqualTo(second.id().value() + ":0");
        assertThat(secondRow.lastError()).hasValueSatisfying(note -> assertThat(note).contains("kept as data only"));
    }

    @Test
    public void aSendDeduplicatedUnderEveryNewKeyEndsFailedVisibly() throws Exception {
        InboxStore store = store();
        FakeChannel vk = FakeChannel.of("vk", ChannelType.VK).deduplicatesSendsByIdempotencyKey(true);
        KeyDeduplicatingPlatform platform = new KeyDeduplicatingPlatform(true);
        vk.sendPolicy(platform);
        Inbox inbox = started(fastInbox(store).channel(vk));
        List<Message> replies = repliesToTwoCustomers(inbox, vk);
        Message first = replies.get(0);
        Message second = replies.get(1);
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, second.id()).orElseThrow().status()
                == DeliveryStatus.FAILED);
        inbox.close();
        assertThat(platform.received()).isEqualTo(Map.of("42", List.of("to 42")));
        assertThat(vk.attempts()).extracting(a -> a.message().idempotencyKey()).containsExactly(
                first.id().value() + ":0", second.id().value() + ":0", second.id().value() + ":0~1",
                second.id().value() + ":0~2", second.id().value() + ":0~3");
        Message failed = inbox.message(TenantId.DEFAULT, second.id()).orElseThrow();
        assertThat(failed.failureReason()).hasValueSatisfying(r -> assertThat(r)
                .contains("already held by message " + first.id().value()).contains("gave up after 3 new keys"));
        assertThat(row(store, second).orElseThrow().status()).isEqualTo(OutboxEntry.Status.FAILED);
        assertThat(inbox.pendingOutboxCount()).isZero();
    }

    @Test
    public void aSentRowWhoseMessageCannotBeUpdatedIsRecordedSentAndNotSentAgain() throws Exception {
        FaultyStore faults = new FaultyStore();
        InboxStore store = faults.wrap(store());
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store).channel(tg));
        done(tg.receive("42", "hi"));
        faults.failMessageWrites(m -> m.direction() == dev.switchboard.model.Direction.OUTBOUND
                && m.status() == DeliveryStatus.SENT);
        Message reply = inbox.reply(onlyConversation(inbox).id(), Content.text("hello"));

        await().atMost(WAIT).until(() -> row(store, reply).orElseThrow().status() == OutboxEntry.Status.SENT);
        inbox.close(); // sends in flight finish and are recorded: nothing can be sent after the count below
        assertThat(tg.attempts()).hasSize(1);
        assertThat(row(store, reply).orElseThrow().lastError()).hasValueSatisfying(note ->
                assertThat(note).contains("could not be updated"));
    }

    @Test
    public void anOutcomeThatCannotBeRecordedDuringAnOutageIsRecordedLaterAndNeverSentTwice() throws Exception {
        FaultyStore faults = new FaultyStore();
        InboxStore store = faults.wrap(store());
        MutableClock clock = new MutableClock();
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store).channel(tg).clock(clock));
        done(tg.receive("42", "hi"));
        // the database goes away the moment the platform accepted the message (the policy is in place before the
        // reply is queued: the outbox may send it at once)
        AtomicBoolean first = new AtomicBoolean(true);
        tg.sendPolicy(m -> {
            if (first.getAndSet(false)) {
                faults.startOutage();
            }
            return new FakeChannel.Succeed();
        });
        Message reply = inbox.reply(onlyConversation(inbox).id(), Content.text("hello"));
        await().atMost(WAIT).until(() -> tg.attempts().size() == 1 && faults.refusedTransactions() >= 3);
        clock.advance(Duration.ofMinutes(1)); // the row's lease has long expired
        faults.endOutage();

        await().atMost(WAIT).until(() -> row(store, reply).orElseThrow().status() == OutboxEntry.Status.SENT);
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
        inbox.close(); // sends in flight finish and are recorded: nothing can be sent after the count below
        assertThat(tg.attempts()).hasSize(1);
    }

    @Test
    public void maxAttemptsEndsInAVisibleFailureEvenWhenTheMessageCannotBeUpdated() throws Exception {
        FaultyStore faults = new FaultyStore();
        InboxStore store = faults.wrap(store());
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        tg.sendPolicy(m -> new FakeChannel.Fail(SendFailure.of(FailureKind.UNAVAILABLE, "502", "Bad Gateway")));
        Inbox inbox = started(fastInbox(store).channel(tg).outbox(OutboxSettings.builder().maxAttempts(3)
                .pollInterval(Duration.ofMillis(20)).backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .sendTimeout(Duration.ofSeconds(2)).leaseDuration(Duration.ofSeconds(5)).build()));
        done(tg.receive("42", "hi"));
        faults.failMessageWrites(m -> m.direction() == dev.switchboard.model.Direction.OUTBOUND
                && m.status() == DeliveryStatus.FAILED);
        Message reply = inbox.reply(onlyConversation(inbox).id(), Content.text("hello"));

        await().atMost(WAIT).until(() -> row(store, reply).orElseThrow().status() == OutboxEntry.Status.FAILED);
        inbox.close(); // sends in flight finish and are recorded: nothing can be sent after the count below
        assertThat(tg.attempts()).hasSize(3);
        assertThat(row(store, reply).orElseThrow().lastError()).hasValueSatisfying(reason ->
                assertThat(reason).contains("Bad Gateway"));
    }

    @Test
    public void rateLimitingIsBackPressureThatNeverUsesUpAttempts() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        for (int i = 0; i < 6; i++) {
            tg.failNext(SendFailure.rateLimited(Duration.ofMillis(20), "429", "Too Many Requests: retry after 1"));
        }
        Inbox inbox = started(fastInbox(store()).channel(tg).outbox(OutboxSettings.builder().maxAttempts(2)
                .pollInterval(Duration.ofMillis(20)).backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .sendTimeout(Duration.ofSeconds(2)).leaseDuration(Duration.ofSeconds(5)).build()));
        done(tg.receive("42", "hi"));
        Message reply = inbox.reply(onlyConversation(inbox).id(), Content.text("hello"));

        await().atMost(WAIT).until(() -> {
            DeliveryStatus s = inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status();
            return s == DeliveryStatus.SENT || s == DeliveryStatus.FAILED;
        });
        assertThat(inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.SENT);
        inbox.close(); // sends in flight finish and are recorded: nothing can be sent after the count below
        assertThat(tg.attempts()).hasSize(7);
        List<FakeChannel.Attempt> attempts = tg.attempts();
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(attempts.get(i).startedAt()).isAfterOrEqualTo(attempts.get(i - 1).endedAt()
                    .plus(Duration.ofMillis(20)));
        }
    }

    @Test
    public void aRecipientWhoBlockedTheBotIsMarkedUntilTheyWriteAgain() throws Exception {
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        Inbox inbox = started(fastInbox(store()).channel(tg));
        done(tg.receive("42", "hi"));
        Conversation c = onlyConversation(inbox);
        tg.failNext(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "403", "Forbidden: bot was blocked by the user"));
        Message reply = inbox.reply(c.id(), Content.text("hello"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, reply.id()).orElseThrow().status()
                == DeliveryStatus.FAILED);
        String key = "switchboard.blocked-us:tg:42";
        assertThat(inbox.customer(c.customer()).orElseThrow().attributes()).containsKey(key);
        assertThatThrownBy(() -> inbox.reply(c.id(), Content.text("again")))
                .isInstanceOfSatisfying(ContactNotAllowedException.class, e ->
                        assertThat(e.reason()).isEqualTo(ContactNotAllowedException.Reason.RECIPIENT_BLOCKED_US));

        done(tg.receive("42", "I unblocked you"));
        assertThat(inbox.customer(c.customer()).orElseThrow().attributes()).doesNotContainKey(key);
        Message later = inbox.reply(c.id(), Content.text("welcome back"));
        await().atMost(WAIT).until(() -> inbox.message(TenantId.DEFAULT, later.id()).orElseThrow().status()
                == DeliveryStatus.SENT);
    }

    /**
     * Two nodes sending for one platform account pace against one schedule in the store: together they stay within
     * the account's limits. Measured on the fakes' start times, which may come late on a loaded machine (never
     * early): the run as a whole cannot be shorter than the global limit allows (less the 10 ms tolerance), while two
     * nodes pacing on their own finish in about half that time. Lateness only makes the run longer.
     */
    @Test
    public void twoNodesSendingForOneAccountTogetherStayWithinItsLimits() throws Exception {
        InboxStore shared = store();
        RateLimit global = new RateLimit(5, Duration.ofMillis(500));
        RateLimit perRecipient = new RateLimit(2, Duration.ofMillis(500));
        Capabilities caps = Capabilities.builder().globalRateLimit(global).perRecipientRateLimit(perRecipient)
                .build();
        FakeChannel tg1 = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM, caps);
        FakeChannel tg2 = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM, caps);
        Inbox node1 = started(fastInbox(shared).nodeId("node-1").channel(tg1));
        Inbox node2 = started(fastInbox(shared).nodeId("node-2").channel(tg2));
        for (int user = 0; user < 6; user++) {
            done(tg1.receive("user-" + user, "hello"));
        }
        List<Conversation> conversations = node1.conversations(ConversationQuery.all(TenantId.DEFAULT, 100)).items();
        int written = 0;
        for (int i = 0; i < 5; i++) {
            for (Conversation c : conversations) {
                (written % 2 == 0 ? node1 : node2).reply(c.id(), Content.text("reply " + i));
                written++;
            }
        }
        int total = written;
        await().atMost(Duration.ofSeconds(60)).until(() -> tg1.sent().size() + tg2.sent().size() == total);
        assertThat(tg1.sent()).isNotEmpty();
        assertThat(tg2.sent()).isNotEmpty();
        List<FakeChannel.Attempt> all = new ArrayList<>(tg1.sent());
        all.addAll(tg2.sent());
        long first = all.stream().mapToLong(FakeChannel.Attempt::startedNanos).min().orElseThrow();
        long last = all.stream().mapToLong(FakeChannel.Attempt::startedNanos).max().orElseThrow();
        long interval = global.period().toNanos() / global.permits();
        assertThat(Duration.ofNanos(last - first)).as("%d sends of both nodes at most %d per %s", total,
                global.permits(), global.period())
                .isGreaterThanOrEqualTo(Duration.ofNanos((total - 1) * interval * 3 / 4));
    }

    // ---- tenants -----------------------------------------------------------------------------------------------

    @Test
    public void tenantsNeverSeeEachOther() throws Exception {
        TenantId acme = TenantId.of("acme");
        TenantId globex = TenantId.of("globex");
        FakeChannel acmeTg = FakeChannel.of(acme, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        FakeChannel globexTg = FakeChannel.of(globex, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        Inbox inbox = started(fastInbox(store()).channel(acmeTg).channel(globexTg));

        done(acmeTg.deliver(acmeTg.text("42", "acme question", List.of(verifiedPhone("+79161234567")))));
        done(globexTg.deliver(globexTg.text("42", "globex question", List.of(verifiedPhone("+79161234567")))));

        List<Conversation> acmeConversations = inbox.conversations(ConversationQuery.all(acme, 10)).items();
        List<Conversation> globexConversations = inbox.conversations(ConversationQuery.all(globex, 10)).items();
        assertThat(acmeConversations).hasSize(1);
        assertThat(globexConversations).hasSize(1);
        assertThat(inbox.messages(acme, acmeConversations.get(0).id())).extracting(m -> m.content().plainText())
                .containsExactly("acme question");
        assertThat(inbox.messages(globex, acmeConversations.get(0).id())).isEmpty();
        assertThat(inbox.conversation(globex, acmeConversations.get(0).id())).isEmpty();
        assertThat(inbox.events(acme, 0, 100)).isNotEmpty().allMatch(e -> e.tenant().equals(acme));
        assertThat(inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items()).isEmpty();

        inbox.reply(acme, acmeConversations.get(0).id(), Content.text("hello acme"), ReplyOptions.defaults());
        await().atMost(WAIT).until(() -> acmeTg.sent().size() == 1);
        assertThat(globexTg.attempts()).isEmpty();
        assertThatThrownBy(() -> inbox.reply(globex, acmeConversations.get(0).id(), Content.text("x"),
                ReplyOptions.defaults())).isInstanceOf(java.util.NoSuchElementException.class);
    }

    // ---- polling channels and leases ---------------------------------------------------------------------------

    @Test
    public void aPollingChannelRunsOnOneNodeAndAnotherTakesOverWhenItStops() throws Exception {
        InboxStore shared = store();
        Capabilities polling = Capabilities.builder().receiveMode(ReceiveMode.POLLING).build();
        FakeChannel onNode1 = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM, polling);
        FakeChannel onNode2 = FakeChannel.of(TenantId.DEFAULT, "tg", ChannelType.TELEGRAM, polling);
        Inbox node1 = started(fastInbox(shared).nodeId("node-1").channel(onNode1));
        await().atMost(WAIT).until(onNode1::isRunning);
        LeaseAttempts node2Leases = new LeaseAttempts(shared);
        Inbox node2 = started(fastInbox(node2Leases).nodeId("node-2").channel(onNode2));
        // node 2 keeps trying; it must not start while node 1 holds the lease. A lease check runs to its end (a
        // start included) before the next begins, so once a third attempt returned, two have failed without a start.
        await().atMost(WAIT).until(() -> node2Leases.attempts() >= 3);
        assertThat(onNode2.isRunning()).isFalse();

        node1.close();
        assertThat(onNode1.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(onNode2::isRunning);
        done(onNode2.receive("42", "handled by node 2"));
        assertThat(node2.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items()).hasSize(1);
    }

    @Test
    public void eventsReachListenersOnEveryNode() throws Exception {
        InboxStore shared = store();
        FakeChannel tg1 = FakeChannel.of("tg", ChannelType.TELEGRAM);
        FakeChannel tg2 = FakeChannel.of("tg", ChannelType.TELEGRAM);
        List<InboxEvent> onNode2 = Collections.synchronizedList(new ArrayList<>());
        started(fastInbox(shared).nodeId("node-1").channel(tg1));
        started(fastInbox(shared).nodeId("node-2").channel(tg2).listener(onNode2::add));
        done(tg1.receive("42", "received on node 1"));
        await().atMost(WAIT).until(() -> onNode2.stream().anyMatch(e -> e.type() == InboxEvent.Type.MESSAGE_RECEIVED));
    }

    // ---- configuration -----------------------------------------------------------------------------------------

    @Test
    public void buildRejectsBadConfigurationWithClearMessages() {
        assertThatThrownBy(() -> Inbox.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("InboxStore is required");
        InboxStore s = store();
        assertThatThrownBy(() -> Inbox.builder().store(s).channel(FakeChannel.of("tg", ChannelType.TELEGRAM))
                .channel(FakeChannel.of("tg", ChannelType.TELEGRAM)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unique per tenant")
                .hasMessageContaining("default/tg");
        assertThatThrownBy(() -> Inbox.builder().store(s).leaseCheckInterval(Duration.ofSeconds(30)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30 s");
        assertThatThrownBy(() -> OutboxSettings.builder().sendTimeout(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration");
        // the same channel id in two tenants is fine
        Inbox.builder().store(s).channel(FakeChannel.of("tg", ChannelType.TELEGRAM))
                .channel(FakeChannel.of(TenantId.of("other"), "tg", ChannelType.TELEGRAM,
                        Capabilities.builder().build())).build().close();
    }

    // ---- store wrapper for commit tests --------------------------------------------------------------------------

    /** Delegates to a store; can hold the ingest thread's transactions just before commit, or fail them. */
    protected static final class GatedStore implements InboxStore {
        final InboxStore delegate;
        final AtomicBoolean holdIngest = new AtomicBoolean();
        final AtomicBoolean failIngest = new AtomicBoolean();
        final CountDownLatch reachedCommit = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedStore(InboxStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T inTransaction(TransactionWork<InboxTransaction, T> work) {
            if (!Thread.currentThread().getName().startsWith("switchboard-ingest")) {
                return delegate.inTransaction(work);
            }
            if (failIngest.get()) {
                throw new IllegalStateException("disk full (test)");
            }
            if (holdIngest.get()) {
                // hold inside the transaction, after the work, i.e. just before commit
                return delegate.inTransaction(tx -> {
                    T result = work.run(tx);
                    reachedCommit.countDown();
                    try {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return result;
                });
            }
            return delegate.inTransaction(work);
        }

        @Override
        public Optional<Lease> tryAcquireLease(String name, String owner) {
            return delegate.tryAcquireLease(name, owner);
        }

        @Override
        public void close() {
        }
    }
}
