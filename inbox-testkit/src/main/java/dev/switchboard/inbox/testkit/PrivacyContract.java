package dev.switchboard.inbox.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.CallbackRequest;
import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.state.StateRecord;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.content.Text;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.privacy.ExportSummary;
import dev.switchboard.inbox.sla.SlaPolicy;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.PageRequest;
import dev.switchboard.testkit.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Export and erasure of one customer, runnable against any {@link InboxStore}: a store vendor extends it and implements
 * {@link #newStore()}, and overrides {@link #everyRow(InboxStore)} to dump every table it has, so the erasure test
 * searches every row for the person's name, phone, email, account id and message text. The person has two accounts
 * merged into one customer, a media file, a reply in the outbox, quarantined input, a channel-state session and a
 * send-pace mark; a second tenant has a person with the same account id and words, which must stay untouched.
 * Test methods are public so subclasses in other packages inherit them.
 */
public abstract class PrivacyContract {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final TenantId OTHER = TenantId.of("other-shop");
    private static final String NAME = "Zinaida Quartzfeld";
    private static final String PHONE = "+79161234567";
    private static final String EMAIL = "zinaida.q@example.org";
    private static final String TEXT = "my parcel never arrived, order 48151623";
    private static final String USER = "tg-user-8675309";

    /** A fresh, empty store; closed after the test. */
    protected abstract InboxStore newStore();

    /**
     * Every row of every table of {@code store} as text, one string per row (the erasure test searches them). The
     * default reads what the SPI can list: the feed, quarantine, and the customers, conversations, messages, outbox
     * rows and channel state of the ids the test used; a JDBC store overrides it with a {@code SELECT *} per table.
     */
    protected List<String> everyRow(InboxStore store) {
        return store.inTransaction(tx -> {
            List<String> rows = new ArrayList<>();
            tx.events(Optional.empty(), 0, 100_000).forEach(e -> rows.add(e.toString()));
            for (TenantId t : List.of(TenantId.DEFAULT, OTHER)) {
                tx.quarantined(t, 1000).forEach(q -> rows.add(q + new String(q.input().raw(),
                        StandardCharsets.UTF_8)));
                for (CustomerId id : seen) {
                    tx.customer(t, id).ifPresent(c -> rows.add(c.toString()));
                    tx.mergesOf(t, id).forEach(m -> rows.add(m.toString()));
                    tx.suggestionsOf(t, id).forEach(s -> rows.add(s.toString()));
                    tx.timeline(t, java.util.Set.of(id), PageRequest.first(1000)).items()
                            .forEach(m -> rows.add(m.toString() + m.content().plainText()));
                    tx.conversationsOf(t, java.util.Set.of(id)).forEach(c -> rows.add(c.toString()));
                }
                tx.channelStateRecord(t, ChannelId.of("tg"), "webchat.session:" + USER)
                        .ifPresent(r -> rows.add(r.toString()));
            }
            for (String id : outboxIds) {
                tx.outboxEntry(id).ifPresent(o -> rows.add(o.toString() + o.message()));
            }
            tx.sendPaceMark(TenantId.DEFAULT.value() + "/tg/" + USER).ifPresent(m -> rows.add("pace " + USER));
            return rows;
        });
    }

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<CustomerId> seen = new ArrayList<>();
    private final List<String> outboxIds = new ArrayList<>();
    /** The conversation of the person's first message, where the reply went. */
    private ConversationId personConversation;
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T09:00:00Z"));
    protected InboxStore store;
    protected Inbox inbox;
    protected FakeChannel telegram;
    protected FakeChannel vk;
    protected FakeChannel otherTelegram;
    protected FakeChannel mail;

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A started inbox over {@code on} (a fresh store when null) with Telegram and VK fakes, and one of tenant B. */
    protected Inbox start(InboxStore on) {
        if (on == null) {
            store = newStore();
            cleanup.add(store);
            on = store;
        }
        telegram = FakeChannel.of("tg", ChannelType.TELEGRAM);
        vk = FakeChannel.of("vk", ChannelType.VK);
        otherTelegram = FakeChannel.of(OTHER, "tg", ChannelType.TELEGRAM, Capabilities.builder().build());
        mail = FakeChannel.of("mail", ChannelType.EMAIL);
        inbox = Inbox.builder().store(on).clock(clock).channel(telegram).channel(vk).channel(otherTelegram)
                .channel(mail).reopenWindow(Duration.ZERO).eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(inbox);
        inbox.start();
        return inbox;
    }

    /** The person of tenant A: two accounts merged, messages with a media file, a reply, traces; returns the id. */
    protected CustomerId person() throws Exception {
        telegram.holdMedia("file-1", "PHOTO-BYTES".getBytes(StandardCharsets.UTF_8));
        done(telegram.deliver(new InboundEvent.MessageReceived("e-1", named(telegram, USER),
                Instant.now(), "p-1", Content.text(TEXT), ThreadHints.NONE,
                List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, PHONE), "test", clock.instant())),
                false, Map.of())));
        done(telegram.deliver(InboundEvent.MessageReceived.of("e-2", telegram.account(USER), Instant.now(), "p-2",
                Content.of(new Media(MediaKind.IMAGE, "image/jpeg", Optional.of("parcel.jpg"), OptionalLong.of(11),
                        new MediaSource.PlatformFile(ChannelId.of("tg"), "file-1"),
                        Optional.of(Text.plain("photo of the label")))))));
        done(vk.deliver(new InboundEvent.MessageReceived("e-3", named(vk, "vk-" + USER),
                Instant.now(), "p-3", Content.text("writing from VK: " + EMAIL), ThreadHints.NONE,
                List.of(Evidence.verified(new ContactPoint(ContactPoint.Kind.EMAIL, EMAIL), "test", clock.instant())),
                false, Map.of())));
        CustomerId a = inbox.customerByAccount(telegram.account(USER).key()).orElseThrow().id();
        CustomerId b = inbox.customerByAccount(vk.account("vk-" + USER).key()).orElseThrow().id();
        seen.add(a);
        if (!a.equals(b)) {
            seen.add(b);
            inbox.merge(TenantId.DEFAULT, a, b, "agent-anna", "same person");
        }
        CustomerId survivor = inbox.customerByAccount(telegram.account(USER).key()).orElseThrow().id();
        Conversation c = inbox.forTenant(TenantId.DEFAULT).conversations(10).items().stream()
                .filter(x -> inbox.messages(TenantId.DEFAULT, x.id()).stream()
                        .anyMatch(m -> m.content().plainText().equals(TEXT))).findFirst().orElseThrow();
        personConversation = c.id();
        // the export must not race the outbox: wait until the reply left
        Message reply = untilSent(() -> inbox.reply(TenantId.DEFAULT, c.id(),
                Content.text("Dear " + NAME + ", we are on it"), ReplyOptions.defaults().agent("anna")));
        outboxIds.add(reply.id().value() + ":0");
        done(telegram.reject("{\"from\":\"" + USER + "\",\"text\":\"" + PHONE + "\"}", "unparseable"));
        store.inTransaction(tx -> {
            tx.saveChannelStateRecord(TenantId.DEFAULT, ChannelId.of("tg"), new StateRecord("webchat.session:" + USER,
                    "{\"name\":\"" + NAME + "\"}", 1, Optional.empty()));
            tx.saveSendPaceMark(TenantId.DEFAULT.value() + "/tg/" + USER, clock.instant());
            return null;
        });
        return survivor;
    }

    /** Tenant B's person: the same account id and words on its own channel. */
    protected CustomerId otherTenantsPerson() throws Exception {
        done(otherTelegram.deliver(new InboundEvent.MessageReceived("b-1", named(otherTelegram, USER), Instant.now(),
                "p-1", Content.text(TEXT), ThreadHints.NONE, List.of(), false, Map.of())));
        CustomerId id = inbox.customerByAccount(otherTelegram.account(USER).key()).orElseThrow().id();
        seen.add(id);
        return id;
    }

    /** Queues a message with {@code queue} and waits until the outbox reports it SENT. */
    protected Message untilSent(java.util.function.Supplier<Message> queue) throws InterruptedException {
        Map<String, Boolean> sentIds = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.Semaphore anySent = new java.util.concurrent.Semaphore(0);
        try (var subscription = inbox.addListener(e -> {
            if (e.deliveryStatus().filter(st -> st == dev.switchboard.model.DeliveryStatus.SENT).isPresent()) {
                sentIds.put(e.message().orElseThrow().value(), true);
                anySent.release();
            }
        })) {
            Message m = queue.get();
            while (!sentIds.containsKey(m.id().value())) {
                assertThat(anySent.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).as("sent " + m.id()).isTrue();
            }
            return m;
        }
    }

    private static dev.switchboard.model.ChannelAccount named(FakeChannel channel, String user) {
        return new dev.switchboard.model.ChannelAccount(channel.account(user).key(),
                dev.switchboard.model.Profile.named(NAME));
    }

    private static void done(CompletionStage<?> stage) throws Exception {
        stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private static String text(Map<String, byte[]> files, String name) {
        assertThat(files).containsKey(name);
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    private List<String> rowsMentioning(String needle) {
        return everyRow(store).stream().filter(r -> r.contains(needle)).toList();
    }

    // ---- export -------------------------------------------------------------------------------------------------

    @Test
    public void exportHoldsEverythingHeldAboutThePersonAndIsIdempotent() throws Exception {
        start(null);
        CustomerId id = person();
        TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ExportSummary summary = shop.privacy().export(id, first);
        Map<String, byte[]> files = unzip(first.toByteArray());

        assertThat(files.keySet()).contains("summary.txt", "customer.json", "conversations.json", "messages.json",
                "merges.json", "outbox.json");
        assertThat(summary.customers()).isEqualTo(2);
        assertThat(summary.messages()).isEqualTo(4);
        assertThat(summary.mediaFiles()).isEqualTo(1);
        String customer = text(files, "customer.json");
        assertThat(customer).contains(NAME, PHONE, EMAIL, USER, "vk-" + USER);
        assertThat(text(files, "messages.json")).contains(TEXT, "photo of the label", "we are on it");
        assertThat(text(files, "merges.json")).contains("same person", "agent-anna");
        assertThat(text(files, "outbox.json")).contains(outboxIds.get(0));
        String media = files.keySet().stream().filter(n -> n.startsWith("media/")).findFirst().orElseThrow();
        assertThat(new String(files.get(media), StandardCharsets.UTF_8)).isEqualTo("PHOTO-BYTES");
        assertThat(media).endsWith("parcel.jpg");
        assertThat(text(files, "summary.txt")).contains("Messages: 4", NAME, PHONE);

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        shop.privacy().export(id, second);
        Map<String, byte[]> again = unzip(second.toByteArray());
        assertThat(again.keySet()).containsExactlyElementsOf(files.keySet());
        for (String name : files.keySet()) {
            assertThat(text(again, name)).as(name).isEqualTo(text(files, name));
        }
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    public void exportIsTenantScopedAndRefusesAnUnknownCustomer() throws Exception {
        start(null);
        CustomerId id = person();
        assertThatThrownBy(() -> inbox.forTenant(OTHER).privacy().export(id, new ByteArrayOutputStream()))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining(id.value())
                .hasMessageContaining(OTHER.value());
        assertThatThrownBy(() -> inbox.forTenant(TenantId.DEFAULT).privacy().erase(CustomerId.of("nobody"), "dpo"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("nobody");
        assertThat(inbox.forTenant(TenantId.DEFAULT).privacy().erasure(CustomerId.of("nobody"))).isEmpty();
    }

    // ---- erasure ------------------------------------------------------------------------------------------------

    @Test
    public void erasureLeavesNothingOfThePersonInAnyTableAndTouchesNoOtherTenant() throws Exception {
        start(null);
        CustomerId id = person();
        CustomerId other = otherTenantsPerson();
        for (String needle : List.of(NAME, PHONE, EMAIL, TEXT, USER)) {
            assertThat(rowsMentioning(needle)).as(needle).isNotEmpty();
        }

        ErasureRecord record = inbox.forTenant(TenantId.DEFAULT).privacy().erase(id, "dpo@shop.example");

        assertThat(record.isComplete()).isTrue();
        assertThat(record.customers()).containsExactlyInAnyOrderElementsOf(seen.subList(0, seen.size() - 1));
        assertThat(record.messages()).isEqualTo(4);
        assertThat(record.mediaDeleted()).isEqualTo(1);
        assertThat(telegram.holdsMedia("file-1")).isFalse();
        // tenant B's person has the same name, account id and text: only their rows may still mention them
        Customer b = inbox.customer(OTHER, other).orElseThrow();
        assertThat(b.displayName()).hasValue(NAME);
        assertThat(inbox.timeline(OTHER, other, PageRequest.first(10)).items())
                .extracting(m -> m.content().plainText()).containsExactly(TEXT);
        for (String needle : List.of(NAME, PHONE, EMAIL, TEXT, USER, "we are on it", "photo of the label")) {
            assertThat(rowsMentioning(needle).stream().filter(r -> !r.contains(OTHER.value())).toList())
                    .as("rows of tenant A mentioning " + needle).isEmpty();
        }
        Customer tombstone = inbox.customer(TenantId.DEFAULT, id).orElseThrow();
        assertThat(tombstone.accounts()).isEmpty();
        assertThat(tombstone.attributes()).containsEntry("erased", "true");
        InboxEvent erased = inbox.events(TenantId.DEFAULT, 0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.CUSTOMER_ERASED).findFirst().orElseThrow();
        assertThat(erased.customer()).hasValue(id);
        assertThat(erased.attribute(InboxEvent.Attribute.ACTOR)).hasValue("dpo@shop.example");
        assertThat(erased.attribute(InboxEvent.Attribute.ERASED_MESSAGES)).hasValue("4");

        // idempotent: asking again returns the same record and publishes nothing more
        assertThat(inbox.forTenant(TenantId.DEFAULT).privacy().erase(id, "someone else")).isEqualTo(record);
        assertThat(inbox.events(TenantId.DEFAULT, 0, 1000).stream()
                .filter(e -> e.type() == InboxEvent.Type.CUSTOMER_ERASED)).hasSize(1);

        // the same account writing again is a new customer with nothing of the old one
        done(telegram.receive(USER, "hello again"));
        Customer fresh = inbox.customerByAccount(telegram.account(USER).key()).orElseThrow();
        assertThat(fresh.id()).isNotIn(record.customers());
        assertThat(inbox.timeline(TenantId.DEFAULT, fresh.id(), PageRequest.first(10)).items())
                .extracting(m -> m.content().plainText()).containsExactly("hello again");
    }

    @Test
    public void scrubbingEventsWritesEachEventOnceAndARepeatChangesNothing() throws Exception {
        start(null);
        person();
        java.util.Set<CustomerId> ids = java.util.Set.copyOf(seen);
        java.util.Set<ConversationId> conversations = java.util.Set.of(personConversation);
        // an event of the person's conversation is found both by its customer and by its conversation
        long concerning = inbox.events(TenantId.DEFAULT, 0, 1000).stream()
                .filter(e -> e.customer().filter(ids::contains).isPresent()
                        || e.conversation().filter(conversations::contains).isPresent())
                .filter(e -> !e.attributes().isEmpty()).count();
        assertThat(concerning).isPositive();

        int first = store.inTransaction(tx -> tx.scrubEvents(TenantId.DEFAULT, ids, conversations));
        int again = store.inTransaction(tx -> tx.scrubEvents(TenantId.DEFAULT, ids, conversations));

        assertThat(first).as("events changed").isEqualTo((int) concerning);
        assertThat(again).as("a resumed erasure rewrites nothing").isZero();
    }

    @Test
    public void anInterruptedErasureCompletesWhenAskedAgain() throws Exception {
        start(null);
        CustomerId id = person();
        telegram.failNextMediaDeletion();

        assertThatThrownBy(() -> inbox.forTenant(TenantId.DEFAULT).privacy().erase(id, "dpo"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unfinished");
        ErasureRecord unfinished = inbox.forTenant(TenantId.DEFAULT).privacy().erasure(id).orElseThrow();
        assertThat(unfinished.isComplete()).isFalse();
        assertThat(inbox.customer(TenantId.DEFAULT, id).orElseThrow().displayName()).hasValue(NAME);

        ErasureRecord done = inbox.forTenant(TenantId.DEFAULT).privacy().erase(id, "dpo");
        assertThat(done.isComplete()).isTrue();
        assertThat(done.requestedAt()).isEqualTo(unfinished.requestedAt());
        assertThat(rowsMentioning(TEXT)).isEmpty();
        assertThat(telegram.holdsMedia("file-1")).isFalse();
    }

    @Test
    public void anInterruptedErasureCompletesOnTheNextStart() throws Exception {
        start(null);
        CustomerId id = person();
        telegram.failNextMediaDeletion();
        assertThatThrownBy(() -> inbox.forTenant(TenantId.DEFAULT).privacy().erase(id, "dpo"))
                .isInstanceOf(IllegalStateException.class);
        inbox.close();

        start(store); // a restart on the same store: the new inbox's channel holds no file, which counts as deleted
        ErasureRecord record = inbox.forTenant(TenantId.DEFAULT).privacy().erasure(id).orElseThrow();
        assertThat(record.isComplete()).isTrue();
        assertThat(rowsMentioning(NAME)).isEmpty();
    }

    // ---- transcripts --------------------------------------------------------------------------------------------

    @Test
    public void aTranscriptIsEmailedThroughTheOutboxWithTheHistoryAndAttachments() throws Exception {
        start(null);
        CustomerId id = person();
        TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
        Conversation c = inbox.conversation(TenantId.DEFAULT, personConversation).orElseThrow();

        Message transcript = untilSent(() -> shop.sendTranscript(c.id(), "Zinaida.Q@Example.org"));

        assertThat(transcript.channel()).isEqualTo(ChannelId.of("mail"));
        assertThat(transcript.conversation()).isEqualTo(c.id());
        assertThat(transcript.agent()).hasValue("transcript");
        FakeChannel.Attempt sent = mail.sent().get(mail.sent().size() - 1);
        assertThat(sent.message().recipient().platformUserId()).isEqualToIgnoringCase(EMAIL);
        assertThat(sent.message().thread().subject()).hasValueSatisfying(s ->
                assertThat(s).startsWith("Transcript of your conversation"));
        String body = sent.message().bubble().plain();
        assertThat(body).contains("Transcript of your conversation", NAME, TEXT, "anna", "we are on it",
                "Attachment: parcel.jpg", "photo of the label");
        assertThat(body.indexOf(TEXT)).isLessThan(body.indexOf("we are on it"));
        // the transcript itself is a message of the conversation, never repeated in a later transcript
        Message second = untilSent(() -> shop.sendTranscript(c.id(), EMAIL));
        assertThat(mail.sent().get(mail.sent().size() - 1).message().bubble().plain())
                .doesNotContain("Attachment: Transcript");
        assertThat(inbox.message(TenantId.DEFAULT, second.id())).isPresent();
        // the website chat's button knows only the visitor's account: the customer's latest conversation is sent
        Message byAccount = untilSent(() -> shop.privacy().sendTranscript(telegram.account(USER).key(), EMAIL));
        assertThat(inbox.conversation(TenantId.DEFAULT, byAccount.conversation()).orElseThrow().customer())
                .isEqualTo(id);
        assertThatThrownBy(() -> shop.privacy().sendTranscript(otherTelegram.account(USER).key(), EMAIL))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    public void aTranscriptRefusesABadAddressAndATenantWithoutEmail() throws Exception {
        start(null);
        person();
        Conversation c = inbox.conversation(TenantId.DEFAULT, personConversation).orElseThrow();
        long queued = inbox.pendingOutboxCount();
        assertThatThrownBy(() -> inbox.forTenant(TenantId.DEFAULT).sendTranscript(c.id(), "not-an-address"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-an-address");
        CustomerId other = otherTenantsPerson();
        Conversation b = inbox.forTenant(OTHER).conversations(10).items().stream()
                .filter(x -> x.customer().equals(other)).findFirst().orElseThrow();
        assertThatThrownBy(() -> inbox.forTenant(OTHER).sendTranscript(b.id(), EMAIL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no email channel");
        assertThat(inbox.pendingOutboxCount()).isEqualTo(queued);
    }

    // ---- call-backs ---------------------------------------------------------------------------------------------

    @Test
    public void aCallbackRequestOpensATaggedConversationWithItsOwnSlaInTheQueue() throws Exception {
        start(null);
        TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
        shop.sla().configure(List.of(
                SlaPolicy.builder("call-backs").tags(CallbackRequest.TAG)
                        .firstResponse(Duration.ofMinutes(15)).build(),
                SlaPolicy.builder("standard").firstResponse(Duration.ofHours(1)).build()));
        CallbackRequest request = new CallbackRequest(
                new ContactPoint(ContactPoint.Kind.PHONE, PHONE), Optional.of("after 18:00"));
        done(telegram.deliver(new InboundEvent.MessageReceived("cb-1", telegram.account("caller"), Instant.now(),
                "cb-p-1", Content.text(request.describe()), ThreadHints.NONE, List.of(), false,
                request.toAttributes())));
        done(telegram.receive("writer", "just a question"));

        Conversation callback = conversationOf("caller");
        Conversation plain = conversationOf("writer");
        assertThat(callback.tags()).contains(CallbackRequest.TAG);
        assertThat(plain.tags()).doesNotContain(CallbackRequest.TAG);
        assertThat(shop.sla().evaluate(callback.id())).singleElement().satisfies(d -> {
            assertThat(d.policy()).isEqualTo("call-backs");
            assertThat(d.dueAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        });
        assertThat(shop.sla().evaluate(plain.id())).singleElement()
                .satisfies(d -> assertThat(d.policy()).isEqualTo("standard"));
        shop.routing().route(callback.id());
        assertThat(shop.routing().queue(10)).extracting(q -> q.conversation()).contains(callback.id());
        assertThat(shop.messages(callback.id())).singleElement()
                .satisfies(m -> assertThat(m.content().plainText()).contains(PHONE, "after 18:00"));
    }

    private Conversation conversationOf(String user) {
        CustomerId id = inbox.customerByAccount(telegram.account(user).key()).orElseThrow().id();
        return inbox.forTenant(TenantId.DEFAULT).conversations(10).items().stream()
                .filter(c -> c.customer().equals(id)).findFirst().orElseThrow();
    }
}
