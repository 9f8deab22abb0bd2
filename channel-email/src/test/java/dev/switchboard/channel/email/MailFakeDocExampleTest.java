package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample of docs/channel-email.md, "Testing your integration", so it compiles and works. */
class MailFakeDocExampleTest {

    @Test
    void theDocumentedSampleWorks() throws Exception {
        RecordingInboundSink sink = new RecordingInboundSink();
        byte[] secret16Bytes = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        try (MailFake mail = new MailFake()) {
            EmailChannel support = EmailChannel.builder().id(ChannelId.of("email-support"))
                    .address(MailFake.MAILBOX)
                    .imap(ImapSettings.of(MailFake.HOST, mail.imapPort(), TlsMode.NONE, MailFake.LOGIN,
                            MailFake.PASSWORD))
                    .smtp(SmtpSettings.of(MailFake.HOST, mail.smtpPort(), TlsMode.NONE, MailFake.LOGIN,
                            MailFake.PASSWORD))
                    .threadTokenSecret(secret16Bytes)
                    .build();
            support.start(sink).toCompletableFuture().join();
            try {
                String messageId = mail.deliverText("anna@client.example", "Anna", "Where is my order?");
                // your code answers through the channel
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.events().stream()
                        .map(InboundEvent::eventId).anyMatch(messageId::equals));
                support.send(KitAccounts.text(support, "anna@client.example", "Your order ships today"))
                        .toCompletableFuture().join();
                await().atMost(Duration.ofSeconds(30)).until(() -> !mail.receivedBy("anna@client.example").isEmpty());
                assertThat(MailFake.displayedText(mail.receivedBy("anna@client.example").get(0))).contains("order");
                assertThat(mail.sent()).extracting(s -> s.recipient()).contains("anna@client.example");
            } finally {
                support.stop().toCompletableFuture().join();
            }
        }
    }
}
