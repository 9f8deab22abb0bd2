package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.MarketingNotice;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.ThreadHints;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.MessageId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A campaign's marketing mail carries the RFC 8058 one-click unsubscribe headers; a reply never does. */
class MarketingHeadersTest {
    private static final ChannelId CHANNEL = ChannelId.of("email-news");
    private final Session session = Session.getInstance(new Properties());
    private final EmailSender sender = new EmailSender(SmtpSettings.of("localhost", 25, TlsMode.NONE, "u", "p"),
            session, "news@shop.example", Optional.of("Shop"), Optional.empty(),
            new ThreadTokens("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII)),
            Clock.fixed(Instant.parse("2026-03-04T00:00:00Z"), ZoneOffset.UTC), f -> Optional.empty());
    private final ChannelAccount to = ChannelAccount.of(TenantId.DEFAULT, CHANNEL, "anna@client.example",
            Profile.EMPTY);

    private OutboundMessage message(Optional<MarketingNotice> marketing) {
        return new OutboundMessage(CHANNEL, to, MessageId.random(), 0, Bubble.TextBubble.plain("Spring sale"), "k",
                Optional.empty(), new ThreadHints(List.of(), Optional.empty(), Optional.of("Spring sale")),
                Optional.empty(), false, marketing);
    }

    @Test
    void marketingMailGetsListUnsubscribeWithOneClickPost() throws Exception {
        URI link = URI.create("https://shop.example/unsubscribe?token=abc.def");
        MimeMessage m = sender.build(message(Optional.of(new MarketingNotice("marketing", Optional.of(link)))),
                "sb.test@shop.example");
        assertThat(m.getHeader("List-Unsubscribe", null)).isEqualTo("<https://shop.example/unsubscribe?token=abc.def>");
        assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void repliesAndMarketingWithoutALinkGetNoUnsubscribeHeaders() throws Exception {
        MimeMessage reply = sender.build(message(Optional.empty()), "sb.test@shop.example");
        assertThat(reply.getHeader("List-Unsubscribe")).isNull();
        MimeMessage noLink = sender.build(message(Optional.of(new MarketingNotice("marketing", Optional.empty()))),
                "sb.test2@shop.example");
        assertThat(noLink.getHeader("List-Unsubscribe-Post")).isNull();
    }
}
