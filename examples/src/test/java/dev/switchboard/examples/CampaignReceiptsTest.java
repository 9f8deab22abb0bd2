package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.email.ImapSettings;
import dev.switchboard.channel.email.SmtpSettings;
import dev.switchboard.channel.email.TlsMode;
import dev.switchboard.channel.email.testing.MailFake;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignRecipient;
import dev.switchboard.inbox.campaign.CampaignSettings;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.model.AccountKey;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Consent;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Campaign delivery receipts through a real channel and its published fake: a campaign goes out on Viber, the Viber
 * fake calls the channel's webhook back with Viber's {@code delivered}, {@code seen} and {@code failed} callbacks for
 * the message tokens it gave, and the recipients move SENT -> DELIVERED, and SENT/DELIVERED -> FAILED with the
 * platform's reason; a late "delivered" after a failure changes nothing. On the in-memory and the H2 store. And by
 * email through the mail fake: a campaign email that bounces (a delivery status notification naming its Message-ID)
 * moves its recipient to FAILED; one that does not stays SENT (mail reports no delivery).
 */
class CampaignReceiptsTest {
    private static final ChannelId VIBER = ChannelId.of("viber");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "h2"})
    void viberReceiptsMoveCampaignRecipients(String kind) throws Exception {
        InboxStore store = kind.equals("memory") ? new InMemoryInboxStore() : JdbcInboxStore.h2File(dir.resolve("db"));
        try (ViberFake fake = new ViberFake()) {
            ViberChannel viber = ViberChannel.builder().id(VIBER).authToken(ViberFake.TOKEN).senderName("Shop")
                    .apiBaseUrl(fake.apiBaseUrl()).build();
            fake.pushTo(viber.webhook().orElseThrow());
            Inbox inbox = Inbox.builder().store(store).channel(viber)
                    .campaigns(CampaignSettings.builder().interval(Duration.ofMillis(20)).build()).build();
            try {
                inbox.start();
                TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
                // each customer wrote first, so the window is open and the campaign's message is free
                CustomerId ann = consenting(inbox, fake, "ann01==", "Ann");
                CustomerId bob = consenting(inbox, fake, "bob01==", "Bob");
                CustomerId cid = consenting(inbox, fake, "cid01==", "Cid");
                CampaignId id = CampaignId.of("news");
                shop.campaigns().create(Campaign.builder(id).content(Content.text("Spring sale"))
                        .purpose(Consent.MARKETING).audience(Audience.customers(List.of(ann, bob, cid))).build());
                shop.campaigns().start(id);
                await().atMost(WAIT).until(() -> shop.campaigns().progress(id).state().isFinal());
                assertThat(shop.campaigns().progress(id).count(RecipientStatus.SENT)).isEqualTo(3);

                String annToken = tokenTo(fake, "ann01==");
                String bobToken = tokenTo(fake, "bob01==");
                fake.receipt("delivered", annToken, "ann01==");
                await().atMost(WAIT).until(() -> status(shop, id, ann) == RecipientStatus.DELIVERED);
                fake.receipt("seen", annToken, "ann01==");
                fake.receipt("delivered", bobToken, "bob01==");
                await().atMost(WAIT).until(() -> status(shop, id, bob) == RecipientStatus.DELIVERED);
                fake.receipt("failed", bobToken, "bob01==");
                await().atMost(WAIT).until(() -> status(shop, id, bob) == RecipientStatus.FAILED);
                CampaignRecipient bobRow = shop.campaigns().recipient(id, bob).orElseThrow();
                assertThat(bobRow.detail().orElseThrow()).contains("failure description");
                // a late "delivered" after the failure is ignored; the receipt is applied before the next one
                fake.receipt("delivered", bobToken, "bob01==");
                fake.receipt("seen", tokenTo(fake, "cid01=="), "cid01==");
                await().atMost(WAIT).until(() -> status(shop, id, cid) == RecipientStatus.DELIVERED);
                assertThat(status(shop, id, bob)).isEqualTo(RecipientStatus.FAILED);
                assertThat(status(shop, id, ann)).isEqualTo(RecipientStatus.DELIVERED);
                assertThat(shop.campaigns().progress(id).count(RecipientStatus.DELIVERED)).isEqualTo(2);
            } finally {
                inbox.close();
                store.close();
            }
        }
    }

    @Test
    void anEmailBounceFailsTheRecipientAndTheOthersStaySent() throws Exception {
        ChannelId mailChannel = ChannelId.of("email");
        try (MailFake mail = new MailFake()) {
            var imap = ImapSettings.of(MailFake.HOST,
                    mail.imapPort(), TlsMode.NONE,
                    MailFake.LOGIN,
                    MailFake.PASSWORD).withPollInterval(Duration.ofMillis(200));
            var smtp = SmtpSettings.of(MailFake.HOST,
                    mail.smtpPort(), TlsMode.NONE,
                    MailFake.LOGIN,
                    MailFake.PASSWORD);
            EmailChannel email = EmailChannel.builder()
                    .id(mailChannel).address(MailFake.MAILBOX).imap(imap)
                    .smtp(smtp).threadTokenSecret("0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                    .build();
            InMemoryInboxStore store = new InMemoryInboxStore();
            Inbox inbox = Inbox.builder().store(store).channel(email)
                    .campaigns(CampaignSettings.builder().interval(Duration.ofMillis(20)).build()).build();
            try {
                inbox.start();
                TenantInbox shop = inbox.forTenant(TenantId.DEFAULT);
                CustomerId ann = consentingByMail(inbox, mail, "ann@client.example", "Ann");
                CustomerId bob = consentingByMail(inbox, mail, "bob@client.example", "Bob");
                CampaignId id = CampaignId.of("mail-news");
                shop.campaigns().create(Campaign.builder(id).content(Content.text("Spring sale")).subject("Sale")
                        .purpose(Consent.MARKETING).audience(Audience.customers(List.of(ann, bob))).build());
                shop.campaigns().start(id);
                await().atMost(WAIT).until(() -> shop.campaigns().progress(id).state().isFinal());
                assertThat(shop.campaigns().progress(id).count(RecipientStatus.SENT)).isEqualTo(2);
                await().atMost(WAIT).until(() -> !mail.receivedBy("bob@client.example").isEmpty());
                String sentId = mail.receivedBy("bob@client.example").get(0).getMessageID();

                // the receiving server bounces bob's copy
                String dsn = "From: MAILER-DAEMON@mx.client.example\r\nTo: " + MailFake.MAILBOX
                        + "\r\nSubject: Undelivered Mail Returned to Sender\r\n"
                        + "Message-ID: <bounce-1@mx.client.example>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"d\"\r\n\r\n"
                        + "--d\r\nContent-Type: text/plain\r\n\r\nThe mailbox does not exist.\r\n"
                        + "--d\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.client.example"
                        + "\r\n\r\nFinal-Recipient: rfc822; bob@client.example\r\nAction: failed\r\n"
                        + "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
                        + "--d\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: " + sentId
                        + "\r\n\r\n--d--\r\n";
                mail.deliverRaw(dsn.getBytes(StandardCharsets.US_ASCII),
                        MailFake.MAILBOX);
                await().atMost(WAIT).until(() -> status(shop, id, bob) == RecipientStatus.FAILED);
                assertThat(shop.campaigns().recipient(id, bob).orElseThrow().detail().orElseThrow())
                        .contains("no such user");
                assertThat(status(shop, id, ann)).isEqualTo(RecipientStatus.SENT);
            } finally {
                inbox.close();
                store.close();
            }
        }
    }

    private static CustomerId consentingByMail(Inbox inbox, MailFake mail,
                                               String address, String name) {
        mail.deliverText(address, name, "Hello");
        AccountKey key = new AccountKey(TenantId.DEFAULT, ChannelId.of("email"), address);
        await().atMost(WAIT).until(() -> inbox.customerByAccount(key).isPresent());
        CustomerId id = inbox.customerByAccount(key).orElseThrow().id();
        inbox.forTenant(TenantId.DEFAULT).updatePreferences(id,
                p -> p.withConsent(Consent.MARKETING, true, "web form v1", Instant.now()));
        return id;
    }

    private static CustomerId consenting(Inbox inbox, ViberFake fake, String user, String name) {
        fake.deliverText(user, name, "Hello");
        AccountKey key = new AccountKey(TenantId.DEFAULT, VIBER, user);
        await().atMost(WAIT).until(() -> inbox.customerByAccount(key).isPresent());
        CustomerId id = inbox.customerByAccount(key).orElseThrow().id();
        inbox.forTenant(TenantId.DEFAULT).updatePreferences(id,
                p -> p.withConsent(Consent.MARKETING, true, "web form v1", Instant.now()));
        return id;
    }

    private static String tokenTo(ViberFake fake, String user) {
        return fake.delivered().stream().filter(d -> d.receiver().equals(user) && d.text().contains("Spring sale"))
                .map(ViberFake.Delivered::token).reduce((a, b) -> b).orElseThrow();
    }

    private static RecipientStatus status(TenantInbox shop, CampaignId id, CustomerId customer) {
        return shop.campaigns().recipient(id, customer).orElseThrow().status();
    }
}
