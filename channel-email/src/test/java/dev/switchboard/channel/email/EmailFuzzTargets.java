package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.content.Media;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jsoup.Jsoup;

/**
 * The properties every fuzz test of the email parsers checks, shared by the regression run of the normal build and
 * the long fuzzing run of the slow tier: nothing a sender writes makes the parsers throw (broken mail is quarantined
 * with a reason), and no control character survives into a decoded header value.
 */
final class EmailFuzzTargets {
    private static final EmailMessages READER = EmailMessages.forMailbox(ChannelId.of("email-fuzz"),
            TenantId.DEFAULT, "support@shop.example", "fuzz-thread-token-secret-0123".getBytes(StandardCharsets.US_ASCII),
            Clock.fixed(Instant.parse("2025-03-04T00:00:00Z"), ZoneOffset.UTC));

    private EmailFuzzTargets() {
    }

    /** A whole raw message through the parser and normaliser, as the receive loop hands it over. */
    static void normalize(byte[] raw) {
        EmailMessages.Outcome outcome = READER.read(raw, "1.1");
        if (outcome instanceof EmailMessages.Rejected r) {
            assertThat(r.input().reason()).isNotBlank();
            return;
        }
        InboundEvent event = ((EmailMessages.Received) outcome).event();
        if (event instanceof InboundEvent.MessageReceived m) {
            m.thread().subject().ifPresent(EmailFuzzTargets::noControls);
            m.account().profile().displayName().ifPresent(EmailFuzzTargets::noControls);
            m.content().parts().stream().filter(p -> p instanceof Media).map(p -> (Media) p)
                    .forEach(media -> media.fileName().ifPresent(EmailFuzzTargets::noControls));
        }
    }

    /** Plain-text and HTML quote stripping of arbitrary text. */
    static void stripQuotes(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        QuoteStripper.Result plain = QuoteStripper.stripText(text);
        assertThat(plain.newText()).isNotNull();
        assertThat(plain.fullText()).isNotNull();
        QuoteStripper.Result html = QuoteStripper.stripHtml(Jsoup.parse(text));
        assertThat(html.newText()).isNotNull();
    }

    /** RFC 2047 decoding of an arbitrary header value (read as raw 8-bit, as headers arrive). */
    static void decodeHeader(byte[] bytes) {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        noControls(EncodedWords.decode(EncodedWords.repairEightBit(raw)));
        noControls(EncodedWords.decode(raw));
    }

    private static void noControls(String value) {
        assertThat(value).doesNotContainPattern("[\\p{Cc}\\u2028\\u2029]");
    }
}
