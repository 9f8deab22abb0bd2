package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.content.Card;
import dev.switchboard.content.Cards;
import dev.switchboard.content.Content;
import dev.switchboard.content.Media;
import dev.switchboard.content.MediaKind;
import dev.switchboard.content.MediaSource;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.render.RenderedMessage;
import dev.switchboard.render.Renderer;
import dev.switchboard.testkit.RecordingInboundSink;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A carousel is one mail: HTML blocks with inline images and a plain-text alternative, postbacks to reply with. */
class EmailCardsTest {
    private MailFake fake;
    private EmailChannel channel;

    @BeforeEach
    void start() {
        fake = TestMail.fake();
        channel = EmailChannel.builder().id(ChannelId.of("email-support")).address(MailFake.MAILBOX)
                .displayName("Shop Support")
                .imap(TestMail.imap(fake, "support", MailFake.PASSWORD, false))
                .smtp(TestMail.smtp(fake, "support", MailFake.PASSWORD))
                .threadTokenSecret(EmailCompatibilityTest.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8)).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        channel.stop().toCompletableFuture().join();
        fake.close();
    }

    @Test
    void aCarouselIsOneMailWithHtmlBlocksInlineImagesAndATextAlternative() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2};
        Cards cards = Cards.builder().prompt("Available slots")
                .card(Card.builder("Mon <10:00>").description("Room 1 & 2")
                        .image(Media.of(MediaKind.IMAGE, "image/png", new MediaSource.Inline(png)))
                        .postback("Book", "book:mon").link("Map", URI.create("https://maps.example/1?a=1&b=2"))
                        .build())
                .card(Card.builder("Tue 11:00").description("Room 3")
                        .image(Media.of(MediaKind.IMAGE, "image/png",
                                new MediaSource.Url(URI.create("https://cdn.example/room3.png"))))
                        .postback("Book", "book:tue").build())
                .build();
        RenderedMessage r = Renderer.standard().render(Content.of(cards), channel.capabilities(), channel.id());
        assertThat(r.bubbles()).singleElement().isInstanceOf(Bubble.CardsBubble.class);
        assertThat(r.choiceMap().resolve("2")).contains("book:tue");

        channel.send(OutboundMessage.simple(channel.id(), ChannelAccount.of(channel.tenant(), channel.id(),
                MailFake.CUSTOMER, Profile.EMPTY), r.bubbles().get(0))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        List<MimeMessage> mails = fake.receivedBy(MailFake.CUSTOMER);
        assertThat(mails).hasSize(1);
        MimeMessage m = mails.get(0);
        assertThat(m.isMimeType("multipart/related")).isTrue();

        String html = MailFake.part(m, "text/html").orElseThrow();
        assertThat(html).contains("<b>Mon &lt;10:00&gt;</b>", "Room 1 &amp; 2", "1. Book", "2. Book",
                "<a href=\"https://maps.example/1?a=1&amp;b=2\">Map</a>", "src=\"cid:card-1@switchboard\"",
                "src=\"https://cdn.example/room3.png\"", "Reply with a number.")
                .doesNotContain("<10:00>");
        String plain = MailFake.part(m, "text/plain").orElseThrow();
        assertThat(plain).contains("Available slots", "Mon <10:00>", "1. Book", "Map: https://maps.example/1?a=1&b=2",
                "Tue 11:00", "2. Book", "Reply with a number.");

        Multipart related = (Multipart) m.getContent();
        Part image = related.getBodyPart(1);
        assertThat(image.getHeader("Content-ID")).containsExactly("<card-1@switchboard>");
        assertThat(image.getInputStream().readAllBytes()).isEqualTo(png);
    }
}
