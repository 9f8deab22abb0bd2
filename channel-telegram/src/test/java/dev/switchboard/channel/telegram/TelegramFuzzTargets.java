package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the Telegram fuzz tests check, for any input: mapping an update never throws and always says what became of
 * it; the webhook answers every body that carries the right secret with 200 after exactly one delivery, quarantine or
 * deliberate ignore (never a 500, which would make Telegram retry the same bytes forever).
 */
final class TelegramFuzzTargets {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private static final TelegramChannel CHANNEL = TelegramChannel.builder().id(TestChannels.ID)
            .tenant(TestChannels.TENANT).botToken(TelegramFake.TOKEN).apiBaseUrl("http://127.0.0.1:9/")
            .mode(TelegramMode.webhook("https://bot.example.com/webhooks/telegram/telegram-test", TestChannels.SECRET))
            .clock(CLOCK).build();
    private static final TelegramInboundMapper MAPPER = new TelegramInboundMapper(TestChannels.ID,
            TestChannels.TENANT, new CallbackData(dev.switchboard.channel.state.ChannelState.inMemory()), CLOCK);

    private TelegramFuzzTargets() {
    }

    /** Maps any JSON the Bot API could send as one update. */
    static void mapUpdate(byte[] raw) {
        JsonNode update;
        try {
            update = JSON.readTree(raw);
        } catch (IOException e) {
            return; // not JSON: the webhook and poller quarantine it before mapping
        }
        TelegramInboundMapper.Outcome outcome = MAPPER.map(update);
        if (outcome == null) {
            throw new AssertionError("map returned null for " + update);
        }
        if (outcome instanceof TelegramInboundMapper.Mapped) {
            InboundEvent event = ((TelegramInboundMapper.Mapped) outcome).event();
            if (!event.account().channel().equals(TestChannels.ID)
                    || !event.account().tenant().equals(TestChannels.TENANT)) {
                throw new AssertionError("an event for another channel or tenant: " + event);
            }
            if (!event.eventId().equals(Long.toString(TelegramInboundMapper.updateId(update).orElseThrow()))) {
                throw new AssertionError("the event id is not the update_id: " + event);
            }
        }
    }

    /** Posts any body with the right secret to the webhook. */
    static void handleWebhookBody(byte[] body) {
        AtomicInteger outcomes = new AtomicInteger();
        InboundSink sink = new InboundSink() {
            @Override
            public CompletionStage<Void> deliver(InboundEvent event) {
                outcomes.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> reject(RejectedInput input) {
                outcomes.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
        };
        WebhookHandler webhook = new TelegramWebhook(CHANNEL.config(), TestChannels.SECRET, MAPPER, JSON, CLOCK,
                () -> sink, () -> { });
        WebhookRequest request = WebhookRequest.post(webhook.path(), Map.of("Content-Type",
                List.of("application/json"), TelegramWebhook.SECRET_HEADER, List.of(TestChannels.SECRET)), body);
        WebhookResponse response = webhook.handle(request).toCompletableFuture().join();
        if (body.length > CHANNEL.config().maxWebhookBodyBytes()) {
            if (response.status() != 413) {
                throw new AssertionError("an oversized body must be 413, got " + response.status());
            }
            return;
        }
        if (response.status() != 200) {
            throw new AssertionError("a body with the right secret must be answered 200 after its delivery or "
                    + "quarantine, got " + response.status());
        }
        if (outcomes.get() > 1) {
            throw new AssertionError("one webhook body was stored " + outcomes.get() + " times");
        }
    }
}
