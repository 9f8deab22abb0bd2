package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.channel.Markup;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Header values from outside never carry control characters into what is stored or written back (encoded CR LF in a
 * subject, a display name or a file name), and a message without a Message-ID is recognised again when a relay adds
 * trace headers.
 */
class HeaderHygieneTest {
    private static final ChannelId CHANNEL = ChannelId.of("email-support");
    private final EmailParser parser = new EmailParser();

    @Test
    void controlCharactersInDecodedHeadersBecomeSpaces() {
        assertThat(EncodedWords.decode("=?UTF-8?Q?Refund=0D=0ABcc:_x@y.example?=")).isEqualTo("Refund Bcc: x@y.example");
        assertThat(EncodedWords.decode("=?UTF-8?B?" + EmailChannelIntegrationTest.b64("a\r\n\r\nb\u0000c\u001b[31md")
                + "?=")).isEqualTo("a b c [31md");
        assertThat(EncodedWords.decode("plain\u2028line\u0085next\ttab")).isEqualTo("plain line next tab");
        assertThat(EncodedWords.decode("Subject folded\r\n over two lines")).isEqualTo("Subject folded over two lines");
        assertThat(EncodedWords.decode("Привет, =?koi8-r?B?7MXU?=")).isEqualTo("Привет, Лет");
    }

    @Test
    void repliesNeverCarryControlCharactersInTheirHeaders() throws Exception {
        Session session = Session.getInstance(new Properties());
        EmailSender sender = new EmailSender(SmtpSettings.of("localhost", 25, TlsMode.NONE, "u", "p"), session,
                "support@shop.example", Optional.of("Shop\r\nBcc: evil@x.example"), Optional.empty(),
                new ThreadTokens("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII)),
                Clock.fixed(Instant.parse("2025-03-04T00:00:00Z"), ZoneOffset.UTC), f -> Optional.empty());
        ChannelAccount to = ChannelAccount.of(TenantId.DEFAULT, CHANNEL, "anna@client.example", Profile.EMPTY);
        Media file = Media.of(MediaKind.FILE, "application/pdf", new MediaSource.Inline(new byte[] {1, 2}))
                .withFileName("re\r\nceipt\u0000.pdf");
        OutboundMessage message = new OutboundMessage(CHANNEL, to, MessageId.random(), 0,
                new Bubble.MediaBubble(file, Optional.empty(), Markup.PLAIN), "k",
                Optional.of("orig@client.example"),
                new ThreadHints(List.of("orig@client.example"), Optional.empty(),
                        Optional.of("Refund\r\nBcc: victim@elsewhere.example")),
                Optional.of("Agent\nSmith"), false);
        MimeMessage built = sender.build(message, "sb.test@shop.example");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        built.writeTo(out);
        MimeMessage reread = new MimeMessage(session, new java.io.ByteArrayInputStream(out.toByteArray()));
        assertThat(reread.getSubject()).isEqualTo("Re: Refund Bcc: victim@elsewhere.example");
        assertThat(reread.getHeader("Bcc")).isNull();
        assertThat(reread.getFrom()[0].toString()).doesNotContainPattern("\\p{Cc}");
        assertThat(((jakarta.mail.internet.InternetAddress) reread.getFrom()[0]).getPersonal()).isEqualTo("Agent Smith");
        BodyPart attachment = ((MimeMultipart) reread.getContent()).getBodyPart(0);
        assertThat(EncodedWords.decode(attachment.getFileName())).isEqualTo("re ceipt .pdf");
    }

    @Test
    void aRedeliveryWithMoreTraceHeadersIsTheSameMessageWhenThereIsNoMessageId() throws Exception {
        String body = "From: Old Client <old@legacy.example>\r\nTo: support@shop.example\r\nSubject: hello\r\n"
                + "Date: Mon, 3 Mar 2025 13:00:00 +0300\r\n\r\nDo you ship to Kazakhstan?\r\n";
        String once = "Received: from a.example by mx.shop.example; Mon, 3 Mar 2025 13:00:01 +0300\r\n" + body;
        String twice = "Received: from mx.shop.example by imap.shop.example; Mon, 3 Mar 2025 13:05:00 +0300\r\n"
                + "Delivered-To: support@shop.example\r\nX-Spam-Score: 0.1\r\n" + once;
        String id1 = parser.parse(once.getBytes(StandardCharsets.US_ASCII)).eventId();
        String id2 = parser.parse(twice.getBytes(StandardCharsets.US_ASCII)).eventId();
        assertThat(id2).isEqualTo(id1);
        String otherBody = once.replace("Kazakhstan", "Belarus");
        String otherSubject = once.replace("Subject: hello", "Subject: hello again");
        assertThat(parser.parse(otherBody.getBytes(StandardCharsets.US_ASCII)).eventId()).isNotEqualTo(id1);
        assertThat(parser.parse(otherSubject.getBytes(StandardCharsets.US_ASCII)).eventId()).isNotEqualTo(id1);
    }
}
