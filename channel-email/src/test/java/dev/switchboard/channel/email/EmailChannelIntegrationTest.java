package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.FetchedMedia;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.channel.Markup;
import dev.switchboard.testkit.RecordingInboundSink;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The email channel against GreenMail's real SMTP and IMAP servers: IDLE and polling, restart and
 * UIDVALIDITY handling, quarantine of broken MIME, several mailboxes, threading headers both ways, attachments both
 * ways, loop-safety headers, SMTP failure mapping and secret hygiene.
 */
class EmailChannelIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private MailFake fake;
    private final List<EmailChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = TestMail.fake();
    }

    @AfterEach
    void stop() {
        channels.forEach(c -> c.stop().toCompletableFuture().join());
        fake.close();
    }

    private EmailChannel.Builder support(boolean idle) {
        return EmailChannel.builder().id(ChannelId.of("email-support")).address(MailFake.MAILBOX)
                .displayName("Shop Support").replyTo("help@shop.example")
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, idle))
                .smtp(TestMail.smtp(fake, "support", MailFake.PASSWORD))
                .threadTokenSecret(EmailCompatibilityTest.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    private EmailChannel started(EmailChannel.Builder builder, RecordingInboundSink sink) {
        EmailChannel channel = builder.build();
        channels.add(channel);
        channel.start(sink).toCompletableFuture().join();
        return channel;
    }

    private static byte[] corpus(String name) throws Exception {
        return Files.readAllBytes(EmailCorpusTest.corpusDir().resolve(name + ".eml"));
    }

    private static List<String> ids(RecordingInboundSink sink) {
        return sink.events().stream().map(InboundEvent::eventId).collect(Collectors.toList());
    }

    @Test
    void usesIdleWhenTheServerOffersItAndReceivesThroughIt() {
        RecordingInboundSink sink = new RecordingInboundSink();
        EmailChannel channel = started(support(true), sink);
        await().atMost(WAIT).until(channel::idling);
        String id = fake.deliverText("anna@client.example", "Anna", "Hello over IDLE");
        await().atMost(WAIT).until(() -> ids(sink).contains(id));
    }

    @Test
    void pollsWhenIdleIsSwitchedOff() {
        RecordingInboundSink sink = new RecordingInboundSink();
        EmailChannel channel = started(support(false), sink);
        String id = fake.deliverText("anna@client.example", "Anna", "Hello by polling");
        await().atMost(WAIT).until(() -> ids(sink).contains(id));
        assertThat(channel.idling()).isFalse();
    }

    @Test
    void aRestartNeitherLosesNorRepeatsMessages(@TempDir Path dir) {
        MailboxStateStore store = MailboxStateStore.files(dir);
        RecordingInboundSink first = new RecordingInboundSink();
        // no processed keyword: the stored UID cursor alone must be enough
        EmailChannel one = started(support(false).stateStore(store)
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, false).withProcessedKeyword(Optional.empty())),
                first);
        String a = fake.deliverText("anna@client.example", "Anna", "first");
        String b = fake.deliverText("anna@client.example", "Anna", "second");
        await().atMost(WAIT).until(() -> ids(first).containsAll(List.of(a, b)));
        one.stop().toCompletableFuture().join();
        String c = fake.deliverText("anna@client.example", "Anna", "while we were down");

        RecordingInboundSink second = new RecordingInboundSink();
        started(support(false).stateStore(MailboxStateStore.files(dir))
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, false).withProcessedKeyword(Optional.empty())),
                second);
        await().atMost(WAIT).until(() -> ids(second).contains(c));
        // the folder is read in UID order, so once a later message arrived nothing earlier can still come
        String d = fake.deliverText("anna@client.example", "Anna", "after the restart");
        await().atMost(WAIT).until(() -> ids(second).contains(d));
        assertThat(ids(second)).containsExactly(c, d);
        assertThat(ids(first)).containsExactly(a, b);
    }

    @Test
    void aChangedUidValidityRereadsTheFolderButSkipsWhatWasCommitted() {
        ValidityChangingStore store = new ValidityChangingStore();
        RecordingInboundSink first = new RecordingInboundSink();
        EmailChannel one = started(support(false).stateStore(store), first);
        String a = fake.deliverText("anna@client.example", "Anna", "first");
        await().atMost(WAIT).until(() -> ids(first).contains(a));
        one.stop().toCompletableFuture().join();
        String b = fake.deliverText("anna@client.example", "Anna", "second");

        store.changeValidity = true; // the server "rebuilt" the folder
        RecordingInboundSink second = new RecordingInboundSink();
        started(support(false).stateStore(store), second);
        await().atMost(WAIT).until(() -> ids(second).contains(b));
        // the folder is read in UID order, so once a later message arrived nothing earlier can still come
        String c = fake.deliverText("anna@client.example", "Anna", "third");
        await().atMost(WAIT).until(() -> ids(second).contains(c));
        assertThat(ids(second)).containsExactly(b, c);
    }

    @Test
    void aChangedUidValidityWithoutKeywordsRedeliversEverythingWithTheSameEventIds() {
        ValidityChangingStore store = new ValidityChangingStore();
        RecordingInboundSink first = new RecordingInboundSink();
        EmailChannel.Builder noKeyword = support(false).stateStore(store)
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, false).withProcessedKeyword(Optional.empty()));
        EmailChannel one = started(noKeyword, first);
        String a = fake.deliverText("anna@client.example", "Anna", "first");
        await().atMost(WAIT).until(() -> ids(first).contains(a));
        one.stop().toCompletableFuture().join();
        store.changeValidity = true;
        RecordingInboundSink second = new RecordingInboundSink();
        started(noKeyword, second);
        await().atMost(WAIT).until(() -> ids(second).contains(a)); // the inbox dedupes it by Message-ID
    }

    @Test
    void brokenMimeIsQuarantinedAndTheMessagesAroundItGoOn() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        started(support(false), sink);
        String before = fake.deliverText("anna@client.example", "Anna", "before");
        fake.deliverRaw(corpus("24-broken-base64"), MailFake.MAILBOX);
        String after = fake.deliverText("anna@client.example", "Anna", "after");
        await().atMost(WAIT).until(() -> ids(sink).containsAll(List.of(before, after)));
        assertThat(sink.rejected()).hasSize(1);
        assertThat(sink.rejected().get(0).reason()).contains("invalid base64");
        assertThat(new String(sink.rejected().get(0).raw(), StandardCharsets.US_ASCII))
                .contains("badb64-1@client.example");
    }

    @Test
    void severalMailboxesAreSeparateChannelsWithTheirOwnIdentity() throws Exception {
        RecordingInboundSink supportSink = new RecordingInboundSink();
        RecordingInboundSink feedbackSink = new RecordingInboundSink();
        EmailChannel support = support(true).build();
        EmailChannel feedback = EmailChannel.builder().id(ChannelId.of("email-feedback"))
                .address(TestMail.FEEDBACK).displayName("Shop Feedback")
                .imap(TestMail.imap(fake, "feedback", TestMail.FEEDBACK_PASSWORD, true))
                .smtp(TestMail.smtp(fake, "feedback", TestMail.FEEDBACK_PASSWORD))
                .threadTokenSecret("feedback-token-secret-0123456789".getBytes(StandardCharsets.UTF_8)).build();
        assertThat(EmailChannels.of(support, feedback)).hasSize(2);
        channels.add(support);
        channels.add(feedback);
        support.start(supportSink).toCompletableFuture().join();
        feedback.start(feedbackSink).toCompletableFuture().join();

        byte[] raw = ("From: Kim <kim@client.example>\r\nTo: " + TestMail.FEEDBACK + "\r\nSubject: Praise\r\n"
                + "Message-ID: <praise-1@client.example>\r\n\r\nGreat shop!\r\n").getBytes(StandardCharsets.US_ASCII);
        fake.deliverRaw(raw, TestMail.FEEDBACK);
        await().atMost(WAIT).until(() -> ids(feedbackSink).contains("praise-1@client.example"));
        assertThat(feedbackSink.events().get(0).channel()).isEqualTo(ChannelId.of("email-feedback"));
        assertThat(supportSink.events()).isEmpty();

        SendReceipt receipt = feedback.send(OutboundMessage.simple(feedback.id(),
                ChannelAccount.of(feedback.tenant(), feedback.id(), MailFake.CUSTOMER, Profile.EMPTY),
                Bubble.TextBubble.plain("Thank you!"))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        MimeMessage received = lastTo(MailFake.CUSTOMER);
        assertThat(received.getFrom()[0].toString()).isEqualTo("Shop Feedback <feedback@shop.example>");
        assertThat(received.getHeader("Message-ID", null)).isEqualTo("<" + receipt.platformMessageId() + ">");
        assertThat(receipt.platformMessageId()).endsWith("@shop.example");
    }

    @Test
    void outgoingRepliesCarryThreadingHeadersAndRepliesToThemFindTheConversation() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        EmailChannel channel = started(support(true), sink);
        ChannelAccount customer = ChannelAccount.of(channel.tenant(), channel.id(), MailFake.CUSTOMER,
                Profile.EMPTY);
        ThreadHints thread = new ThreadHints(List.of("root-1@client.example", "reply-2@client.example"),
                Optional.of("AB12CD"), Optional.of("Order 1234"));
        OutboundMessage reply = new OutboundMessage(channel.id(), customer, MessageId.random(), 0,
                new Bubble.TextBubble("<b>Shipped</b> today\nTracking: RA1", "Shipped today\nTracking: RA1",
                        Markup.HTML, List.of()), "k1", Optional.empty(), thread, Optional.of("Anna"), true);
        SendReceipt receipt = channel.send(reply).toCompletableFuture().get(15, TimeUnit.SECONDS);

        MimeMessage m = lastTo(MailFake.CUSTOMER);
        assertThat(m.getSubject()).isEqualTo("Re: Order 1234 [#AB12CD]");
        assertThat(m.getHeader("In-Reply-To", null)).isEqualTo("<reply-2@client.example>");
        assertThat(m.getHeader("References", " ").replaceAll("\\s+", " "))
                .isEqualTo("<root-1@client.example> <reply-2@client.example>");
        assertThat(receipt.platformMessageId()).startsWith("sb.AB12CD.");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getHeader("X-Auto-Response-Suppress", null)).isEqualTo("All");
        assertThat(m.getFrom()[0].toString()).isEqualTo("Anna <support@shop.example>");
        assertThat(m.getReplyTo()[0].toString()).isEqualTo("help@shop.example");
        assertThat(MailFake.part(m, "text/plain").orElseThrow().replace("\r\n", "\n"))
                .isEqualTo("Shipped today\nTracking: RA1");
        assertThat(MailFake.part(m, "text/html").orElseThrow()).contains("<b>Shipped</b> today<br>");

        // the customer's client replies without our subject tag: our signed Message-ID still finds the thread
        byte[] answer = ("From: customer@client.example\r\nTo: support@shop.example\r\nSubject: Re: Order 1234\r\n"
                + "Message-ID: <answer-3@client.example>\r\nIn-Reply-To: <" + receipt.platformMessageId() + ">\r\n"
                + "References: <root-1@client.example> <reply-2@client.example> <" + receipt.platformMessageId()
                + ">\r\n\r\nThanks!\r\n").getBytes(StandardCharsets.US_ASCII);
        fake.deliverRaw(answer, MailFake.MAILBOX);
        // a forged id with our prefix but a wrong signature must not yield a token
        byte[] forged = ("From: mallory@evil.example\r\nTo: support@shop.example\r\nSubject: Re: hi\r\n"
                + "Message-ID: <forged-4@evil.example>\r\nIn-Reply-To: <sb.ZZ99ZZ.0000000000000000."
                + "0000000000000000@shop.example>\r\n\r\nlet me in\r\n").getBytes(StandardCharsets.US_ASCII);
        fake.deliverRaw(forged, MailFake.MAILBOX);
        await().atMost(WAIT).until(() -> ids(sink).containsAll(List.of("answer-3@client.example",
                "forged-4@evil.example")));
        InboundEvent.MessageReceived answered = (InboundEvent.MessageReceived) sink.eventsWithId(
                "answer-3@client.example").get(0);
        assertThat(answered.thread().conversationToken()).contains("AB12CD");
        assertThat(answered.thread().referencedPlatformMessageIds()).contains(receipt.platformMessageId());
        InboundEvent.MessageReceived forgedEvent = (InboundEvent.MessageReceived) sink.eventsWithId(
                "forged-4@evil.example").get(0);
        assertThat(forgedEvent.thread().conversationToken()).isEmpty();
    }

    @Test
    void plusAddressCarriesTheConversationToken() {
        RecordingInboundSink sink = new RecordingInboundSink();
        started(support(true), sink);
        byte[] raw = ("From: customer@client.example\r\nTo: support+QW34ER@shop.example\r\nSubject: more\r\n"
                + "Message-ID: <plus-1@client.example>\r\n\r\nOne more thing\r\n").getBytes(StandardCharsets.US_ASCII);
        fake.deliverRaw(raw, "support+QW34ER@shop.example");
        await().atMost(WAIT).until(() -> ids(sink).contains("plus-1@client.example"));
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) sink.events().get(0);
        assertThat(m.thread().conversationToken()).contains("QW34ER");
    }

    @Test
    void attachmentsAndTheOriginalAreFetchableLater() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        EmailChannel channel = started(support(true), sink);
        fake.deliverRaw(corpus("21-inline-image"), MailFake.MAILBOX);
        fake.deliverRaw(corpus("01-thunderbird-reply"), MailFake.MAILBOX);
        await().atMost(WAIT).until(() -> sink.events().size() == 2);

        InboundEvent.MessageReceived image = (InboundEvent.MessageReceived) sink.eventsWithId(
                "screen-1@client.example").get(0);
        Media photo = (Media) image.content().parts().stream().filter(p -> p instanceof Media).findFirst()
                .orElseThrow();
        assertThat(photo.kind()).isEqualTo(MediaKind.IMAGE);
        FetchedMedia fetched = channel.fetchMedia((MediaSource.PlatformFile) photo.source()).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
        assertThat(fetched.mimeType()).isEqualTo("image/png");
        assertThat(fetched.fileName()).contains("photo.png");
        assertThat(fetched.bytes()).hasSize((int) photo.sizeBytes().getAsLong());
        assertThat(fetched.bytes()).startsWith(0x89, 'P', 'N', 'G');

        InboundEvent.MessageReceived reply = (InboundEvent.MessageReceived) sink.eventsWithId(
                "7c1e2a90-1b2c-4d5e-8f90-a1b2c3d4e5f6@client.example").get(0);
        Media original = (Media) reply.content().parts().stream().filter(p -> p instanceof Media).findFirst()
                .orElseThrow();
        FetchedMedia eml = channel.fetchMedia((MediaSource.PlatformFile) original.source()).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
        assertThat(new String(eml.bytes(), StandardCharsets.UTF_8)).contains("> your order has shipped");
    }

    @Test
    void mediaBubblesAreSentAsAttachments() throws Exception {
        EmailChannel channel = started(support(true), new RecordingInboundSink());
        byte[] pdf = "%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII);
        Media media = new Media(MediaKind.FILE, "application/pdf", Optional.of("Счёт.pdf"), OptionalLong.of(pdf.length),
                new MediaSource.Inline(pdf), Optional.empty());
        channel.send(OutboundMessage.simple(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(),
                MailFake.CUSTOMER, Profile.EMPTY), new Bubble.MediaBubble(media, Optional.of("Your invoice"),
                Markup.HTML))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        MimeMessage m = lastTo(MailFake.CUSTOMER);
        Multipart mixed = (Multipart) m.getContent();
        Part attachment = mixed.getBodyPart(mixed.getCount() - 1);
        assertThat(attachment.getDisposition()).isEqualToIgnoringCase(Part.ATTACHMENT);
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(attachment.getFileName())).isEqualTo("Счёт.pdf");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(pdf);
        assertThat(MailFake.part(m, "text/plain").orElseThrow()).contains("Your invoice");
    }

    @Test
    void smtpAuthenticationFailureIsPermanentAndNeverShowsThePassword() {
        String wrong = "Wr0ng-Secret-Value";
        EmailChannel channel = support(true).smtp(TestMail.smtp(fake, "support", wrong)).build();
        channels.add(channel);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> channel.send(OutboundMessage.simple(channel.id(), ChannelAccount.of(channel.tenant(),
                        channel.id(), MailFake.CUSTOMER, Profile.EMPTY), Bubble.TextBubble.plain("hi")))
                        .toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(ChannelException.class);
        ChannelException ce = (ChannelException) e.getCause();
        assertThat(ce.failure().kind()).isEqualTo(FailureKind.UNAUTHORIZED);
        assertThat(ce.retryable()).isFalse();
        assertThat(ce.getMessage() + ce.failure() + ce.getCause()).doesNotContain(wrong)
                .doesNotContain(MailFake.PASSWORD);
    }

    @Test
    void fetchWithWrongImapPasswordFailsWithoutShowingIt() {
        String wrong = "Wr0ng-Imap-Secret";
        EmailChannel channel = support(false).imap(TestMail.imap(fake, "support", wrong, false)).build();
        channels.add(channel);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> channel.fetchMedia(new MediaSource.PlatformFile(channel.id(), "1.1/2/x@y")).toCompletableFuture()
                        .get(15, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(ChannelException.class);
        assertThat(String.valueOf(e.getCause()) + e.getCause().getCause()).doesNotContain(wrong);
    }

    @Test
    void configurationIsCheckedAndNeverShowsSecrets() {
        EmailChannel channel = support(true).build();
        channels.add(channel);
        String shown = channel + " " + TestMail.imap(fake, "support", MailFake.PASSWORD, true) + " "
                + TestMail.smtp(fake, "support", MailFake.PASSWORD) + " " + support(true);
        assertThat(shown).doesNotContain(MailFake.PASSWORD).doesNotContain(EmailCompatibilityTest.TOKEN_SECRET)
                .contains("support@shop.example");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> support(true).address("not-an-address").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> support(true).threadTokenSecret(new byte[4]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threadTokenSecret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmailChannel.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    }

    private MimeMessage lastTo(String address) {
        List<MimeMessage> all = fake.receivedBy(address);
        assertThat(all).isNotEmpty();
        return all.get(all.size() - 1);
    }

    /** An in-memory state store that can pretend the server changed the folder's UIDVALIDITY. */
    private static final class ValidityChangingStore implements MailboxStateStore {
        private final MailboxStateStore delegate = MailboxStateStore.inMemory();
        volatile boolean changeValidity;

        @Override
        public Optional<MailboxState> load(String key) {
            Optional<MailboxState> s = delegate.load(key);
            if (changeValidity && s.isPresent()) {
                changeValidity = false;
                return Optional.of(new MailboxState(s.get().uidValidity() + 1, 1_000_000));
            }
            return s;
        }

        @Override
        public void save(String key, MailboxState state) {
            delegate.save(key, state);
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
