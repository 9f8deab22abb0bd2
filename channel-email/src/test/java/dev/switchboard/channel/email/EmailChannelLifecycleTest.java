package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The email channel's lifecycle and health: it starts again after a stop and then receives and sends, refuses a second
 * start, reports a refused IMAP or SMTP login as DOWN with bad credentials without retrying it hot, an unreachable
 * server as DEGRADED with back-off, its last receive and send, and many mailboxes share a bounded set of threads named
 * after the mailbox they serve.
 */
class EmailChannelLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private MailFake fake;
    private final List<EmailChannel> channels = new ArrayList<>();
    private final List<EmailResources> resources = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = TestMail.fake();
    }

    @AfterEach
    void stop() {
        channels.forEach(c -> c.stop().toCompletableFuture().join());
        resources.forEach(EmailResources::close);
        fake.close();
    }

    private EmailChannel.Builder support() {
        return EmailChannel.builder().id(ChannelId.of("email-support")).tenant(TenantId.of("shop-a"))
                .address(MailFake.MAILBOX)
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, false))
                .smtp(TestMail.smtp(fake, "support", MailFake.PASSWORD))
                .threadTokenSecret(EmailCompatibilityTest.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    }

    private EmailChannel built(EmailChannel.Builder b) {
        EmailChannel c = b.build();
        channels.add(c);
        return c;
    }

    private static OutboundMessage hello(EmailChannel c, String text) {
        return OutboundMessage.simple(c.id(), ChannelAccount.of(c.tenant(), c.id(), MailFake.CUSTOMER,
                Profile.EMPTY), Bubble.TextBubble.plain(text));
    }

    private static List<String> ids(RecordingInboundSink sink) {
        return sink.events().stream().map(InboundEvent::eventId).toList();
    }

    @Test
    void startStopStartStillReceivesAndSends() {
        EmailChannel channel = built(support());
        RecordingInboundSink first = new RecordingInboundSink();
        channel.start(first).toCompletableFuture().join();
        String before = fake.deliverText("anna@client.example", "Anna", "before the stop");
        await().atMost(WAIT).until(() -> ids(first).contains(before));
        channel.stop().toCompletableFuture().join();
        channel.stop().toCompletableFuture().join(); // idempotent
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);

        String during = fake.deliverText("boris@client.example", "Boris", "while stopped");
        RecordingInboundSink second = new RecordingInboundSink();
        channel.start(second).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> ids(second).contains(during));
        String after = fake.deliverText("vera@client.example", "Vera", "after the restart");
        await().atMost(WAIT).until(() -> ids(second).contains(after));
        assertThat(ids(second)).doesNotContain(before);
        channel.send(hello(channel, "sent after a restart")).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> fake.sent().stream().anyMatch(m -> m.text().contains("sent after a restart")));
        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(health.lastReceived()).isPresent();
        assertThat(health.lastSent()).isPresent();
    }

    @Test
    void aSecondStartWhileRunningIsRefused() {
        EmailChannel channel = built(support());
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        CompletableFuture<Void> again = channel.start(new RecordingInboundSink()).toCompletableFuture();
        assertThatThrownBy(again::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
    }

    @Test
    void aRefusedImapLoginIsDownWithBadCredentialsAndNotRetriedHot() {
        String wrong = "Wr0ng-Imap-Pa55";
        EmailChannel channel = built(support().imap(TestMail.imap(fake, "support", wrong, false)));
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(health.detail().orElseThrow()).contains("IMAP").doesNotContain(wrong);
        assertThat(channel.nextReceivePassIn()).as("the next login attempt is not soon")
                .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofMinutes(10)));
        // a restart (after the password was fixed) clears it
        channel.stop().toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);
    }

    @Test
    void aRefusedSmtpLoginIsDownWithBadCredentialsAtStart() {
        String wrong = "Wr0ng-Smtp-Pa55";
        EmailChannel channel = built(support().smtp(TestMail.smtp(fake, "support", wrong)));
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(health.detail().orElseThrow()).contains("SMTP").doesNotContain(wrong);
    }

    @Test
    void anUnreachableServerIsDegradedAndRetriedWithBackoff() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EmailChannel channel = built(support().imap(ImapSettings.of("127.0.0.1", closedPort, TlsMode.NONE,
                "support", MailFake.PASSWORD).withIdle(false)));
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(health.problem()).contains(ChannelHealth.Problem.UNREACHABLE);
        assertThat(health.retryAt()).isPresent();
        assertThat(channel.nextReceivePassIn()).as("retried soon, with back-off")
                .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(2)));
    }

    @Test
    void manyMailboxesShareABoundedSetOfThreadsNamedAfterTheMailboxTheyServe() {
        java.util.Set<Thread> before = emailThreads();
        java.util.Set<Thread> anonymousBefore = anonymousPoolThreads();
        EmailResources shared = EmailResources.builder().receiveThreads(2).idleConnections(2).sendThreads(2).build();
        resources.add(shared);
        int mailboxes = 12;
        List<String> threadNames = new CopyOnWriteArrayList<>();
        List<RecordingInboundSink> sinks = new ArrayList<>();
        for (int i = 0; i < mailboxes; i++) {
            String login = "box" + i;
            String address = login + "@shop.example";
            fake.addMailbox(address, login, "pw-" + i);
            EmailChannel c = built(EmailChannel.builder().id(ChannelId.of("email-" + i))
                    .tenant(TenantId.of("tenant-" + i)).address(address)
                    .imap(TestMail.imap(fake, login, "pw-" + i, true))
                    .smtp(TestMail.smtp(fake, "support", MailFake.PASSWORD))
                    .threadTokenSecret(EmailCompatibilityTest.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8))
                    .resources(shared));
            RecordingInboundSink sink = new RecordingInboundSink();
            sinks.add(sink);
            c.start(new NamingSink(sink, threadNames)).toCompletableFuture().join();
        }
        for (int i = 0; i < mailboxes; i++) {
            String raw = "From: Client " + i + " <client" + i + "@client.example>\r\nTo: box" + i
                    + "@shop.example\r\nSubject: hi\r\nMessage-ID: <many-" + i + "@client.example>\r\n\r\nhello " + i
                    + "\r\n";
            fake.deliverRaw(raw.getBytes(StandardCharsets.US_ASCII), "box" + i + "@shop.example");
        }
        for (int i = 0; i < mailboxes; i++) {
            RecordingInboundSink sink = sinks.get(i);
            String id = "many-" + i + "@client.example";
            await().atMost(WAIT).until(() -> ids(sink).contains(id));
        }
        java.util.Set<Thread> added = emailThreads();
        added.removeAll(before); // threads of other tests' channels (the process-wide shared pools) do not count
        assertThat(added.size()).as("timer + write-timeout timer + 2 receive + 2 IDLE + 2 send at most, for %s "
                + "mailboxes", mailboxes).isLessThanOrEqualTo(8);
        // Angus Mail's own write-timeout timer is one anonymous pool thread per socket unless it is handed one
        java.util.Set<Thread> anonymous = anonymousPoolThreads();
        anonymous.removeAll(anonymousBefore);
        assertThat(anonymous.size()).as("anonymous pool threads started for %s mailboxes", mailboxes)
                .isLessThan(mailboxes);
        assertThat(threadNames).isNotEmpty().allSatisfy(name -> {
            assertThat(name).matches("switchboard-email-receive-\\d+ tenant-\\d+/email-\\d+");
        });
    }

    /** Our pools' threads, named after what they do. */
    private static java.util.Set<Thread> emailThreads() {
        return threadsNamed("switchboard-email.*");
    }

    /** Threads of an executor made with the JDK's default thread factory, as Angus Mail makes its own timers. */
    private static java.util.Set<Thread> anonymousPoolThreads() {
        return threadsNamed("pool-\\d+-thread-\\d+");
    }

    private static java.util.Set<Thread> threadsNamed(String regex) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().matches(regex))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Records the name of the thread each delivery arrives on. */
    private record NamingSink(InboundSink delegate, List<String> names) implements InboundSink {
        @Override
        public CompletionStage<Void> deliver(InboundEvent event) {
            names.add(Thread.currentThread().getName());
            return delegate.deliver(event);
        }

        @Override
        public CompletionStage<Void> reject(RejectedInput input) {
            return delegate.reject(input);
        }
    }
}
