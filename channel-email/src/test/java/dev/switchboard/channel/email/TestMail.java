package dev.switchboard.channel.email;

import dev.switchboard.channel.email.testing.MailFake;
import java.time.Duration;

/** The published {@link MailFake} with the shop's two mailboxes, and channel settings pointing at it. */
final class TestMail {
    static final String FEEDBACK = "feedback@shop.example";
    static final String FEEDBACK_PASSWORD = "feedback-Pa55-ABC";

    private TestMail() {
    }

    /** support@ (login {@code support}) receives customer mail; feedback@ (login {@code feedback}) is a second box. */
    static MailFake fake() {
        return MailFake.builder().mailbox(MailFake.MAILBOX, MailFake.LOGIN, MailFake.PASSWORD)
                .mailbox(FEEDBACK, "feedback", FEEDBACK_PASSWORD).build();
    }

    static ImapSettings imap(MailFake fake, String login, String password, boolean idle) {
        return ImapSettings.of(MailFake.HOST, fake.imapPort(), TlsMode.NONE, login, password)
                .withIdle(idle).withPollInterval(Duration.ofMillis(idle ? 2000 : 200));
    }

    static SmtpSettings smtp(MailFake fake, String login, String password) {
        return SmtpSettings.of(MailFake.HOST, fake.smtpPort(), TlsMode.NONE, login, password)
                .withTimeout(Duration.ofSeconds(10));
    }
}
