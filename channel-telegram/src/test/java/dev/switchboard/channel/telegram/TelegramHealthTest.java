package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.ChannelHealth;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The channel's own health: the token checked with getMe at start, DOWN without hot retries, rate limits, webhook. */
class TelegramHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WRONG_TOKEN = "123456789:AAHthisIsNotTheBotsTokenAtAll_0123456789";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private TelegramFake fake;
    private TelegramChannel channel;

    @BeforeEach
    void startFake() {
        fake = new TelegramFake();
    }

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.stop().toCompletableFuture().join();
        }
        fake.close();
    }

    @Test
    void aWrongTokenMakesThePollingChannelDownWithBadCredentialsAndItDoesNotPoll() {
        channel = TestChannels.polling(fake).botToken(WRONG_TOKEN).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();

        ChannelHealth health = channel.health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(health.problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(health.detail().orElseThrow()).contains("Unauthorized").doesNotContain(WRONG_TOKEN)
                .doesNotContain(WRONG_TOKEN.substring(WRONG_TOKEN.indexOf(':') + 1));
        assertThat(fake.calls("getMe")).as("the token is checked once at start").hasSize(1);
        assertThat(fake.calls("getUpdates")).as("a refused token is not retried: no poll loop runs").isEmpty();
    }

    @Test
    void aWrongTokenInWebhookModeIsDownAndNoWebhookIsRegistered() {
        channel = TestChannels.webhook(fake).botToken(WRONG_TOKEN).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(fake.calls("setWebhook")).isEmpty();
    }

    @Test
    void aRestartWithTheTokenFixedOnThePlatformChecksAgain() {
        channel = TestChannels.polling(fake).botToken(WRONG_TOKEN).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        channel.stop().toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        assertThat(fake.calls("getMe")).hasSize(2);
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
    }

    @Test
    void aGoodTokenIsUpAndReportsTheLastReceiveAndSend() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        channel = TestChannels.polling(fake).clock(clock).build();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.STOPPED);
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);

        Fixtures.push(fake, "text");
        await().atMost(WAIT).until(() -> sink.events().size() == 1);
        assertThat(channel.health().lastReceived()).contains(NOW);
        channel.send(KitAccounts.text(channel, TelegramFake.KNOWN_RECIPIENT, "hi")).toCompletableFuture().join();
        assertThat(channel.health().lastSent()).contains(NOW);
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aRateLimitedPollIsDegradedUntilRetryAfter() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        fake.failNextPoll(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 40\","
                + "\"parameters\":{\"retry_after\":40}}", java.util.Map.of("Content-Type", "application/json"));
        channel = TestChannels.polling(fake).clock(clock).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        // the channel now waits the 40 s Telegram asked for, holding this state while we look
        await().atMost(WAIT).until(() -> channel.health().status() == ChannelHealth.Status.DEGRADED);
        ChannelHealth health = channel.health();
        assertThat(health.problem()).contains(ChannelHealth.Problem.RATE_LIMITED);
        assertThat(health.retryAt()).contains(NOW.plusSeconds(40));
    }

    @Test
    void aRateLimitedSendIsDegradedUntilRetryAfterAndTheNextSendClearsIt() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        channel = TestChannels.polling(fake).clock(clock).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        fake.failNextSendWithRateLimit(Duration.ofSeconds(7));
        Assertions.assertThatThrownBy(() -> channel.send(KitAccounts.text(channel, TelegramFake.KNOWN_RECIPIENT, "a"))
                .toCompletableFuture().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ChannelException.class);
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.RATE_LIMITED);
        assertThat(channel.health().retryAt()).contains(NOW.plusSeconds(7));

        channel.send(KitAccounts.text(channel, TelegramFake.KNOWN_RECIPIENT, "b")).toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(channel.health().retryAt()).isEmpty();
    }

    @Test
    void aTokenRevokedWhilePollingMakesTheChannelDownAndEndsThePollLoop() {
        channel = TestChannels.polling(fake).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        fake.failNextPoll(401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}",
                java.util.Map.of("Content-Type", "application/json"));
        await().atMost(WAIT).until(() -> channel.health().status() == ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.BAD_CREDENTIALS);
        assertThat(channel.pollingProblem().orElseThrow()).contains("token was refused");
    }

    @Test
    void aWebhookTelegramNoLongerDeliversToIsDownWithWebhookNotSet() {
        channel = TestChannels.webhook(fake).build();
        fake.bind(channel);
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        channel.checkWebhook().toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.UP);

        fake.deleteWebhookExternally();
        channel.checkWebhook().toCompletableFuture().join();
        assertThat(channel.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(channel.health().problem()).contains(ChannelHealth.Problem.WEBHOOK_NOT_SET);

        channel.stop().toCompletableFuture().join();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        assertThat(channel.health().status()).as("a restart registers the webhook again")
                .isEqualTo(ChannelHealth.Status.UP);
        assertThat(fake.webhookSet()).isTrue();
    }
}
