package dev.switchboard.channel.email.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The published mail fixture: mail in over SMTP, what a shop sends out through the scripted SMTP port. */
class MailFakeTest {
    private MailFake mail;

    @AfterEach
    void close() {
        if (mail != null) {
            mail.close();
        }
    }

    /** What a channel does: authenticated SMTP through {@link MailFake#smtpPort()}. */
    private void shopSends(String to, String text) throws MessagingException {
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", MailFake.HOST);
        props.setProperty("mail.smtp.port", Integer.toString(mail.smtpPort()));
        props.setProperty("mail.smtp.auth", "true");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(MailFake.MAILBOX));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject("Re: your order");
        m.setText(text, "UTF-8");
        Transport.send(m, MailFake.LOGIN, MailFake.PASSWORD);
    }

    @Test
    void customerMailLandsInTheShopMailboxWithItsHeaders() throws Exception {
        mail = new MailFake();

        String id = mail.deliverMail("anna@client.example", "Анна", "Заказ 1042", "Где мой заказ?",
                Instant.parse("2026-03-01T10:00:00Z"), Map.of("In-Reply-To", "<earlier@shop.example>"));
        String plain = mail.deliverText("boris@client.example", "Boris", "Hello");

        assertThat(mail.receivedBy(MailFake.MAILBOX)).hasSize(2);
        MimeMessage first = mail.receivedBy(MailFake.MAILBOX).get(0);
        assertThat(first.getHeader("In-Reply-To", null)).isEqualTo("<earlier@shop.example>");
        assertThat(first.getMessageID()).isEqualTo("<" + id + ">");
        assertThat(MailFake.displayedText(first).strip()).isEqualTo("Где мой заказ?");
        assertThat(MailFake.displayedText(mail.receivedBy(MailFake.MAILBOX).get(1)).strip()).isEqualTo("Hello");
        assertThat(plain).isNotEqualTo(id);
        assertThat(mail.sent()).as("mail to a shop mailbox is not something the shop sent").isEmpty();
    }

    @Test
    void theScriptedSmtpPortFailsOneConnectionThenPassesMailThrough() throws Exception {
        mail = new MailFake();
        mail.failNextSendWithPermanentError();

        assertThatThrownBy(() -> shopSends(MailFake.CUSTOMER, "first try"))
                .isInstanceOf(SendFailedException.class).hasStackTraceContaining("550 5.1.1");
        shopSends(MailFake.CUSTOMER, "second try");

        assertThat(mail.sent()).singleElement().satisfies(s -> {
            assertThat(s.recipient()).isEqualTo(MailFake.CUSTOMER);
            assertThat(s.text().strip()).isEqualTo("second try");
            assertThat(s.platformMessageId()).isNotEmpty();
        });
    }

    @Test
    void theBuilderNamesTheBadOption() {
        assertThatThrownBy(() -> MailFake.builder().mailbox("not-an-address", "x", "y").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailbox");
        assertThatThrownBy(() -> MailFake.builder().customer(MailFake.MAILBOX)
                .mailbox(MailFake.MAILBOX, "support", "pw").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer");
    }
}
