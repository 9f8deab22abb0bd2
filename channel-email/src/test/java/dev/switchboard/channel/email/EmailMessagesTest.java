package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The public offline entry point reads mail as the channel does, and checks its arguments with the builder policy. */
class EmailMessagesTest {
    private static final byte[] SECRET = "offline-reader-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    private final EmailMessages reader = EmailMessages.forMailbox(ChannelId.of("email-support"), TenantId.DEFAULT,
            "Support@Shop.example", SECRET, Clock.fixed(Instant.parse("2025-03-04T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void aReplyBecomesTheEventTheChannelWouldStoreWithTheFullTextBeside() throws Exception {
        byte[] raw = Files.readAllBytes(EmailCorpusTest.corpusDir().resolve("01-thunderbird-reply.eml"));

        EmailMessages.Outcome outcome = reader.read(raw, "archive-1");

        assertThat(outcome).isInstanceOf(EmailMessages.Received.class);
        EmailMessages.Received received = (EmailMessages.Received) outcome;
        InboundEvent.MessageReceived m = (InboundEvent.MessageReceived) received.event();
        assertThat(m.eventId()).isEqualTo("7c1e2a90-1b2c-4d5e-8f90-a1b2c3d4e5f6@client.example");
        assertThat(m.account().channel()).isEqualTo(ChannelId.of("email-support"));
        assertThat(m.thread().conversationToken()).contains("AB12CD");
        assertThat(m.content().plainText()).contains("Could you also send the invoice?")
                .doesNotContain("tracking number RA123456789RU");
        assertThat(received.fullText()).contains("tracking number RA123456789RU");
    }

    @Test
    void brokenMimeComesBackAsTheQuarantineRecord() throws Exception {
        byte[] raw = Files.readAllBytes(EmailCorpusTest.corpusDir().resolve("25-broken-no-boundary.eml"));

        EmailMessages.Outcome outcome = reader.read(raw, "archive-2");

        assertThat(outcome).isInstanceOf(EmailMessages.Rejected.class);
        assertThat(((EmailMessages.Rejected) outcome).input().reason()).isNotBlank();
    }

    @Test
    void badArgumentsAreNamedAndTheSecretIsNeverShown() {
        assertThatThrownBy(() -> EmailMessages.forMailbox(ChannelId.of("e"), TenantId.DEFAULT, "not-an-address",
                SECRET, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address");
        byte[] shortSecret = "short-secret".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> EmailMessages.forMailbox(ChannelId.of("e"), TenantId.DEFAULT, "a@b.example",
                shortSecret, Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threadTokenSecret").hasMessageNotContaining("short-secret");
    }
}
