package dev.switchboard.examples.docs;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RateLimit;
import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.email.EmailChannels;
import dev.switchboard.channel.email.EmailMessages;
import dev.switchboard.channel.email.EmailResources;
import dev.switchboard.channel.email.ImapSettings;
import dev.switchboard.channel.email.MailboxStateStore;
import dev.switchboard.channel.email.SmtpSettings;
import dev.switchboard.channel.email.TlsMode;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The samples of docs/channel-email.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ChannelEmailSamplesTest {

    /** Compiled, not run: it names a real provider and writes under /var/lib. */
    @SuppressWarnings("unused")
    static void configuration(String imapPassword, String smtpPassword, byte[] secret32Bytes, Clock clock,
                              EmailChannel feedback, EmailChannel pr) {
        // ---- doc snippet begins
        EmailChannel support = EmailChannel.builder()
            .id(ChannelId.of("email-support"))
            .tenant(TenantId.DEFAULT)                       // optional
            .address("support@shop.example")
            .displayName("Shop Support")                    // optional: From display name when no agent name is given
            .replyTo("help@shop.example")                   // optional
            .imap(ImapSettings.of("imap.shop.example", 993, TlsMode.IMPLICIT, "support@shop.example", imapPassword)
                    .withIdle(true).withPollInterval(Duration.ofSeconds(30))
                    .withProcessedKeyword(Optional.of("$SwitchboardProcessed"))   // default; empty = set no keyword
                    .withMoveProcessedTo(Optional.empty()))                       // or Optional.of("Processed")
            .smtp(SmtpSettings.of("smtp.shop.example", 587, TlsMode.STARTTLS, "support@shop.example", smtpPassword))
            .threadTokenSecret(secret32Bytes)               // HMAC key for our Message-IDs, >= 16 bytes
            .stateStore(MailboxStateStore.files(Path.of("/var/lib/switchboard/mail")))  // default: in memory
            .sendRateLimit(RateLimit.perMinute(60))         // declared to the outbox; default 60/min
            .resources(EmailResources.shared())             // default: threads shared by every mailbox of the process
            .clock(clock)
            .build();
        List<Channel> mailboxes = EmailChannels.of(support, feedback, pr); // checks distinct ids and addresses
        // ---- doc snippet ends
    }

    @Test
    void anArchivedMessageIsReadLikeTheReceiveLoopReadsIt() {
        byte[] raw = ("From: Anna <anna@client.example>\r\nTo: support@shop.example\r\nSubject: Order\r\n"
                + "Message-ID: <a1@client.example>\r\nDate: Sun, 6 Dec 2026 10:00:00 +0000\r\n\r\nWhere is my order?\r\n")
                .getBytes(StandardCharsets.UTF_8);
        EmailMessages.Outcome outcome = readingAnArchive("0123456789abcdef".getBytes(StandardCharsets.UTF_8), raw);
        assertThat(outcome).isInstanceOfSatisfying(EmailMessages.Received.class,
                r -> assertThat(r.fullText()).contains("Where is my order?"));
    }

    static EmailMessages.Outcome readingAnArchive(byte[] threadTokenSecret, byte[] rawBytes) {
        // ---- doc snippet begins
        EmailMessages reader = EmailMessages.forMailbox(ChannelId.of("email-support"), TenantId.DEFAULT,
                "support@shop.example", threadTokenSecret, Clock.systemUTC());
        EmailMessages.Outcome outcome = reader.read(rawBytes, "archive-1");   // Received(event, fullText) or Rejected(input)
        // ---- doc snippet ends
        return outcome;
    }

    /** Compiled, not run: the host's own code answers between delivery and the assertion. */
    @SuppressWarnings("unused")
    static void testingYourIntegration(byte[] secret16Bytes, InboundSink sink) throws Exception {
        // ---- doc snippet begins
        try (MailFake mail = new MailFake()) {                        // support@shop.example, login "support"
            EmailChannel support = EmailChannel.builder().id(ChannelId.of("email-support")).address(MailFake.MAILBOX)
                .imap(ImapSettings.of(MailFake.HOST, mail.imapPort(), TlsMode.NONE, MailFake.LOGIN, MailFake.PASSWORD))
                .smtp(SmtpSettings.of(MailFake.HOST, mail.smtpPort(), TlsMode.NONE, MailFake.LOGIN, MailFake.PASSWORD))
                .threadTokenSecret(secret16Bytes)
                .build();
            support.start(sink).toCompletableFuture().join();

            String messageId = mail.deliverText("anna@client.example", "Anna", "Where is my order?");  // a customer writes
            // ... your code answers through the channel (or an Inbox around it) ...
            await().until(() -> !mail.receivedBy("anna@client.example").isEmpty());
            assertThat(MailFake.displayedText(mail.receivedBy("anna@client.example").get(0))).contains("order");
        }
        // ---- doc snippet ends
    }
}
