package dev.switchboard.examples;

import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.TenantId;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "build your own contact center in 30 lines": the body between the markers is pasted into the README
 * and docs/examples.md as is, so it must compile and work. Here the bot talks to the local fake Bot API; for a real
 * bot, drop {@code apiBaseUrl} and pass the token from {@code TELEGRAM_BOT_TOKEN}.
 */
class ContactCenterIn30LinesTest {

    private static final String BOT_TOKEN = "123456:TEST-token-for-the-local-fake-api";

    @Test
    void aContactCenterInThirtyLines() throws Exception {
        try (TelegramFake telegramApi = TelegramFake.builder().token(BOT_TOKEN).build()) {
            // ---- README snippet begins ------------------------------------------------------------------------
            TenantId shop = TenantId.of("flower-shop");   // one business of the many this deployment serves
            TelegramChannel telegram = TelegramChannel.builder()
                    .tenant(shop)
                    .id(ChannelId.of("telegram"))
                    .botToken(BOT_TOKEN)                  // System.getenv("TELEGRAM_BOT_TOKEN")
                    .apiBaseUrl(telegramApi.url())        // the local fake; leave out for api.telegram.org
                    .build();

            Inbox inbox = Inbox.builder()
                    .store(new InMemoryInboxStore())      // or JdbcInboxStore.h2File(Path.of("data"))
                    .channel(telegram)                    // add email, webchat, your own plugin...
                    .build();

            TenantInbox desk = inbox.forTenant(shop);     // everything below concerns this shop only
            desk.onMessageReceived(m -> {                 // each customer message, after it was committed
                String name = m.customer().displayName().orElse("friend");
                System.out.println(name + ": " + m.text());
                desk.reply(m.conversation().id(),         // goes out through the customer's own channel
                        Content.text("Thanks, " + name + "! We are on it."));
            });

            inbox.start();                                // receive, store, reply; inbox.close() to stop
            // ---- README snippet ends --------------------------------------------------------------------------
            try {
                telegramApi.pushText(42, "Ada Lovelace", "Where is my order?");
                await().atMost(Duration.ofSeconds(30)).until(() -> !telegramApi.calls("sendMessage").isEmpty());
                TelegramFake.ApiCall sent = telegramApi.calls("sendMessage").get(0);
                assertThat(sent.params().path("chat_id").asLong()).isEqualTo(42L);
                assertThat(sent.param("text")).isEqualTo("Thanks, Ada Lovelace! We are on it.");
            } finally {
                inbox.close();
            }
        }
    }
}
