package dev.switchboard.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.inbox.Inbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Boots the example on a random port against the published Telegram Bot API fake: the bot's webhook is registered
 * with the application's own URL, an update the fake POSTs to it (with the registered secret) is stored, and the
 * acknowledgement goes out through sendMessage to the same chat. Health and metrics show the channel.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SupportDeskApplicationTest {
    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    private static final String SECRET = "webhook-secret-1";
    private static final TelegramFake TELEGRAM = TelegramFake.builder().token(TOKEN).build();

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("TELEGRAM_BOT_TOKEN", () -> TOKEN);
        registry.add("TELEGRAM_WEBHOOK_SECRET", () -> SECRET);
        registry.add("PUBLIC_URL", () -> "https://desk.example");
        registry.add("TELEGRAM_API_BASE_URL", TELEGRAM::url);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + data.resolve("desk") + ";MODE=PostgreSQL");
    }

    @AfterAll
    static void stopFake() {
        TELEGRAM.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Inbox inbox;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTelegramUpdateThroughTheApplicationsOwnServerIsStoredAndAnswered() throws Exception {
        assertThat(TELEGRAM.calls("setWebhook")).hasSize(1);
        assertThat(TELEGRAM.webhookUrl()).contains("https://desk.example/webhooks/telegram/support-bot");
        assertThat(TELEGRAM.webhookSecret()).contains(SECRET);

        String update = """
                {"update_id": 900001,
                 "message": {"message_id": 7, "date": 1763900800, "text": "Where is my order?",
                             "from": {"id": 5551234567, "is_bot": false, "first_name": "Anna"},
                             "chat": {"id": 5551234567, "type": "private", "first_name": "Anna"}}}
                """;
        HttpResponse<String> refused = post("/webhooks/telegram/support-bot", update, "wrong-secret");
        assertThat(refused.statusCode()).isEqualTo(401);

        // the public URL is not reachable from the test: the fake pushes to the same route on loopback
        TELEGRAM.pushTo("http://127.0.0.1:" + port + "/webhooks/telegram/support-bot");
        long updateId = TELEGRAM.pushText(5551234567L, "Anna", "Where is my order?");
        // Telegram retries an update it got no 2xx for: the same update again is stored once
        TELEGRAM.redeliver(Long.toString(updateId));

        await().atMost(Duration.ofSeconds(30)).until(() -> !TELEGRAM.delivered().isEmpty());
        TelegramFake.Delivered reply = TELEGRAM.delivered().get(0);
        assertThat(reply.chatId()).isEqualTo(5551234567L);
        assertThat(reply.text()).contains("Thanks, we got your message");
        var conversation = inbox.conversations(dev.switchboard.store.ConversationQuery.all(
                dev.switchboard.model.TenantId.DEFAULT, 10)).items();
        assertThat(conversation).hasSize(1);
        assertThat(inbox.messages(conversation.get(0).id())).extracting(m -> m.content().plainText())
                .contains("Where is my order?");

        HttpResponse<String> health = get("/actuator/health/switchboard");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"support-bot\"").contains("\"status\":\"UP\"");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                get("/actuator/metrics/switchboard.webhook.requests?tag=status:200").body()).contains("\"COUNT\""));
        assertThat(get("/actuator/metrics/switchboard.ingest.duplicates").body()).contains("\"value\":1.0");
    }

    private HttpResponse<String> post(String path, String body, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
