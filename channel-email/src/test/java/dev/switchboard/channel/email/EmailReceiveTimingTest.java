package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.model.ChannelId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordering properties of the receive loop proved with a held commit instead of timing: a message is marked processed
 * only after the inbox committed it, and mail arriving while a commit is pending is read without waiting a poll
 * interval (the poll interval here is ten minutes, so only an immediate re-check can pass).
 */
class EmailReceiveTimingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private MailFake fake;
    private EmailChannel channel;

    @BeforeEach
    void start() throws Exception {
        fake = TestMail.fake();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    private EmailChannel started(HeldCommitSink sink, boolean idle, Duration pollInterval) {
        channel = EmailChannel.builder().id(ChannelId.of("email-support")).address(MailFake.MAILBOX)
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, idle).withPollInterval(pollInterval))
                .smtp(TestMail.smtp(fake, "support", MailFake.PASSWORD))
                .threadTokenSecret(EmailCompatibilityTest.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8))
                .build();
        channel.start(sink).toCompletableFuture().join();
        return channel;
    }

    @Test
    void aMessageIsMarkedProcessedOnlyAfterTheInboxCommittedIt() throws Exception {
        HeldCommitSink sink = new HeldCommitSink().hold();
        started(sink, false, Duration.ofMillis(200));
        String id = fake.deliverText("anna@client.example", "Anna", "Commit me");
        await().atMost(WAIT).until(() -> sink.pending().size() == 1);
        assertThat(ImapFlags.processed(fake)).as("handed to the inbox but not committed: not marked")
                .containsExactly(false);
        sink.release();
        await().atMost(WAIT).until(() -> ImapFlags.processed(fake).equals(java.util.List.of(true)));
        assertThat(sink.committedIds()).containsExactly(id);
        assertThat(ImapFlags.seen(fake)).as("reading must not mark the customer's mail \\Seen").containsExactly(false);
    }

    @Test
    void mailArrivingDuringACommitIsReadWithoutWaitingForTheNextIdleRound() {
        HeldCommitSink sink = new HeldCommitSink();
        EmailChannel c = started(sink, true, Duration.ofMinutes(10));
        await().atMost(WAIT).until(c::idling);
        sink.hold();
        String first = fake.deliverText("anna@client.example", "Anna", "first");
        await().atMost(WAIT).until(() -> sink.pending().size() == 1);
        String second = fake.deliverText("boris@client.example", "Boris", "second, while the first commits");
        await().atMost(WAIT).until(() -> fake.greenMail().getReceivedMessages().length == 2);
        sink.release();
        await().atMost(WAIT).until(() -> sink.committedIds().contains(second));
        assertThat(sink.committedIds()).containsExactly(first, second);
    }
}
