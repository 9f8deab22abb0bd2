package dev.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/** Focused cases the corpus does not isolate: charset labels, encoded words, DSN actions, quote edge cases. */
class EmailParserTest {
    private final EmailParser parser = new EmailParser();

    @Test
    void charsetLabelsJavaLacksAreNormalised() {
        for (String label : new String[] {"win-1251", "cp-1251", "x-cp1251", "1251", "CP1251", "\"windows-1251\""}) {
            assertThat(MailCharsets.lookup(label)).as(label).contains(Charset.forName("windows-1251"));
        }
        assertThat(MailCharsets.lookup("koi8r")).contains(Charset.forName("KOI8-R"));
        assertThat(MailCharsets.forPart(null)).isEqualTo(StandardCharsets.US_ASCII);
        assertThat(MailCharsets.forPart("x-unknown-charset")).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void encodedWordsDecodeLeniently() {
        assertThat(EncodedWords.decode("=?win-1251?B?z/Do4uXy?= world")).isEqualTo("Привет world");
        assertThat(EncodedWords.decode("=?utf-8?Q?caf=C3=A9?= =?utf-8?Q?_au_lait?=")).isEqualTo("café au lait");
        assertThat(EncodedWords.decode("Re:=?utf-8?B?0J/RgNC40LLQtdGC?=")).isEqualTo("Re:Привет");
        assertThat(EncodedWords.decode("=?bogus-charset?B?AAAA?= kept")).isEqualTo("=?bogus-charset?B?AAAA?= kept");
    }

    @Test
    void aDelayedDeliveryReportIsNotAFailure() throws Exception {
        String raw = "From: MAILER-DAEMON@mx.example\r\nTo: support@shop.example\r\nSubject: Delayed Mail\r\n"
                + "Message-ID: <delay-1@mx.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"d\"\r\n\r\n"
                + "--d\r\nContent-Type: text/plain\r\n\r\nStill trying.\r\n"
                + "--d\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
                + "Final-Recipient: rfc822; slow@client.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
                + "--d\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ours-1@shop.example>\r\n\r\n--d--\r\n";
        ParsedEmail parsed = parser.parse(raw.getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.bounce()).isEmpty();
        assertThat(parsed.automated()).isTrue();
    }

    @Test
    void runningTextEndingInWroteIsKeptWhenNoQuoteFollows() {
        QuoteStripper.Result r = QuoteStripper.stripText("My manager wrote:\nplease refund the order.\n");
        assertThat(r.newText()).isEqualTo("My manager wrote:\nplease refund the order.");
        assertThat(r.stripped()).isFalse();
    }

    @Test
    void outlookRussianHtmlBlockAndGmailQuoteAreRemoved() {
        String html = "<div>Новый текст</div><div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\">"
                + "<b>От:</b> Поддержка<br><b>Отправлено:</b> 3 марта<br></div><div>старый текст</div>";
        assertThat(QuoteStripper.stripHtml(Jsoup.parse(html)).newText()).isEqualTo("Новый текст");
        String gmail = "<div>New</div><div class=\"gmail_quote\">On Mon wrote:<blockquote>old</blockquote></div>";
        QuoteStripper.Result r = QuoteStripper.stripHtml(Jsoup.parse(gmail));
        assertThat(r.newText()).isEqualTo("New");
        assertThat(r.fullText()).contains("old");
    }

    @Test
    void messagesWithoutSenderAreRejected() {
        String raw = "To: support@shop.example\r\nSubject: who?\r\n\r\nbody\r\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> parser.parse(raw.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedEmailException.class).hasMessageContaining("no sender");
    }
}
