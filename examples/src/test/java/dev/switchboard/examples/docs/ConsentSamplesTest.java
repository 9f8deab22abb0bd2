package dev.switchboard.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.consent.ConsentChange;
import dev.switchboard.inbox.consent.ConsentEntry;
import dev.switchboard.inbox.consent.ConsentEvidence;
import dev.switchboard.inbox.consent.Consents;
import dev.switchboard.inbox.consent.UnsubscribeKeywords;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.Consent;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.Customer;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.Preferences;
import dev.switchboard.model.QuietHours;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import dev.switchboard.testkit.ManualClock;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The samples of docs/consent.md, verbatim between the markers (see {@link DocSamplesTest}). */
class ConsentSamplesTest {

    @Test
    void preferencesConsentsAndKeywords() throws Exception {
        TenantId shop = TenantId.of("shop");
        Clock clock = new ManualClock(Instant.parse("2026-03-02T09:00:00Z"));
        FakeChannel telegram = FakeChannel.of(shop, "tg", ChannelType.TELEGRAM,
                FakeChannel.of("x", ChannelType.TELEGRAM).capabilities());
        try (Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).clock(clock).channel(telegram).build()) {
            inbox.start();
            TenantInbox desk = inbox.forTenant(shop);
            telegram.receive("ann", "hello").toCompletableFuture().get(20, TimeUnit.SECONDS);
            CustomerId customer = inbox.customerByAccount(telegram.account("ann").key()).orElseThrow().id();
            ConversationId conversation = desk.conversations(ConversationQuery.builder(shop).limit(10).build())
                    .items().get(0).id();

            // ---- doc snippet begins: preferences
            desk.updatePreferences(customer, p -> p
                    .withPreferredChannels(ChannelType.EMAIL, ChannelType.TELEGRAM)    // email first, else Telegram
                    .withDoNotContact(ChannelType.VIBER)                               // never Viber
                    .withQuietHours(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), ZoneId.of("Europe/Moscow")))
                    .withLanguage("ru"));

            Message reply = desk.reply(conversation, Content.text("Your order has shipped"),
                    ReplyOptions.defaults().viaPreferredChannel());
            // ---- doc snippet ends
            assertThat(reply.channel()).isEqualTo(telegram.id()); // no email channel: Telegram is the one available

            // ---- doc snippet begins: a proactive check
            Customer c = desk.customer(customer).orElseThrow();
            Preferences p = c.preferences();
            boolean mayAdvertiseNow = p.allows(ChannelType.TELEGRAM)
                    && p.hasConsent(Consent.MARKETING, ChannelType.TELEGRAM)
                    && !p.quietAt(clock.instant());
            // ---- doc snippet ends
            assertThat(mayAdvertiseNow).isFalse(); // no consent yet

            // ---- doc snippet begins: the ledger
            Consents consents = desk.consent();
            consents.record(ConsentChange.grant(customer, Consent.MARKETING)
                    .channelType(ChannelType.EMAIL)                              // empty: every channel
                    .source("web-form")
                    .evidence(ConsentEvidence.webForm("newsletter-signup", "v3")) // the form and the text version shown
                    .build());

            boolean mayMail = consents.hasConsent(customer, Consent.MARKETING, ChannelType.EMAIL);
            for (ConsentEntry e : consents.history(customer)) {
                System.out.printf("%s %s granted=%s via %s (%s %s)%n", e.at(), e.purpose(), e.granted(),
                        e.source(), e.evidence().kind(), e.evidence().reference());
            }
            // ---- doc snippet ends
            assertThat(mayMail).isTrue();

            Message customerMessage = desk.messages(conversation).get(0);
            // ---- doc snippet begins: an agent's record
            desk.consent().record(ConsentChange.withdraw(customer, Consent.SURVEYS)
                    .source("agent")
                    .evidence(ConsentEvidence.message(customerMessage.id()))
                    .build());
            // ---- doc snippet ends
            assertThat(desk.consent().history(customer)).last()
                    .satisfies(e -> assertThat(e.source()).isEqualTo("agent"));

            // ---- doc snippet begins: keywords
            desk.consent().configureKeywords(UnsubscribeKeywords.builder()
                    .keywords("stop", "стоп", "отписаться", "unsubscribe", "хватит")
                    .confirmation("Вы отписаны от рассылок. Напишите «подписаться», чтобы вернуть их.")
                    .build());
            // ---- doc snippet ends
            assertThat(desk.consent().keywords().keywords()).contains("хватит");
        }
    }
}
