package dev.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Telegram webhook endpoint. Checks the {@code X-Telegram-Bot-Api-Secret-Token} header in constant time (401
 * without a match, nothing processed), limits the body size (413), then answers 200 only after the update was
 * committed (500 if the commit failed, so Telegram retries). Input that can never become an event (invalid UTF-8,
 * malformed JSON, an unknown update type) is quarantined through {@link InboundSink#reject} and answered 200 after the
 * quarantine committed, so Telegram does not retry garbage forever and the updates behind it keep flowing.
 */
final class TelegramWebhook implements WebhookHandler {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final Logger log = LoggerFactory.getLogger(TelegramWebhook.class);

    private final TelegramConfig config;
    private final byte[] secret;
    private final TelegramInboundMapper mapper;
    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<InboundSink> sink;
    private final Runnable received;

    /** {@code received} is told of every update (or quarantine) committed, for the channel's health. */
    TelegramWebhook(TelegramConfig config, String secretToken, TelegramInboundMapper mapper, ObjectMapper json,
                    Clock clock, Supplier<InboundSink> sink, Runnable received) {
        this.config = config;
        this.secret = secretToken.getBytes(StandardCharsets.UTF_8);
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
        this.sink = sink;
        this.received = received;
    }

    @Override
    public String path() {
        return "/webhooks/telegram/" + config.channelId().value();
    }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        try {
            return handleChecked(request);
        } catch (RuntimeException e) {
            log.error("Telegram channel {}: webhook failed: {}", config.logLabel(), e.toString());
            return CompletableFuture.completedFuture(WebhookResponse.text(500, "internal error"));
        }
    }

    private CompletionStage<WebhookResponse> handleChecked(WebhookRequest request) {
        if (!request.method().equalsIgnoreCase("POST")) {
            return done(WebhookResponse.text(405, "POST only"));
        }
        Optional<String> presented = request.header(SECRET_HEADER);
        if (presented.isEmpty()
                || !MessageDigest.isEqual(secret, presented.get().getBytes(StandardCharsets.UTF_8))) {
            log.warn("Telegram channel {}: webhook request with {} secret token refused", config.logLabel(),
                    presented.isEmpty() ? "no" : "a wrong");
            return done(WebhookResponse.text(401, "missing or wrong " + SECRET_HEADER));
        }
        if (request.bodyLength() > config.maxWebhookBodyBytes()) {
            log.warn("Telegram channel {}: webhook body of {} bytes refused (limit {})", config.logLabel(),
                    request.bodyLength(), config.maxWebhookBodyBytes());
            return done(WebhookResponse.text(413, "body over " + config.maxWebhookBodyBytes() + " bytes"));
        }
        InboundSink target = sink.get();
        if (target == null) {
            return done(WebhookResponse.text(503, "channel not started"));
        }
        byte[] body = request.body();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return quarantine(target, body, Optional.empty(), "body is not valid UTF-8");
        }
        JsonNode update;
        try {
            update = json.readTree(body);
        } catch (IOException e) {
            return quarantine(target, body, Optional.empty(), "malformed JSON: " + firstLine(e.getMessage()));
        }
        TelegramInboundMapper.Outcome outcome = mapper.map(update);
        if (outcome instanceof TelegramInboundMapper.Rejected) {
            TelegramInboundMapper.Rejected r = (TelegramInboundMapper.Rejected) outcome;
            return quarantine(target, body, r.eventId(), r.reason());
        }
        if (outcome instanceof TelegramInboundMapper.Ignored) {
            return done(WebhookResponse.empty(200));
        }
        TelegramInboundMapper.Mapped mapped = (TelegramInboundMapper.Mapped) outcome;
        return answerAfter(target.deliver(mapped.event()), "update " + mapped.event().eventId());
    }

    private CompletionStage<WebhookResponse> quarantine(InboundSink target, byte[] body, Optional<String> eventId,
                                                        String reason) {
        log.warn("Telegram channel {}: quarantining webhook update {}: {}", config.logLabel(),
                eventId.orElse("?"), reason);
        return answerAfter(target.reject(new RejectedInput(config.channelId(), eventId, body, reason,
                clock.instant())), "quarantine of " + eventId.orElse("an unreadable update"));
    }

    private CompletionStage<WebhookResponse> answerAfter(CompletionStage<Void> commit, String what) {
        return commit.handle((v, failure) -> {
            if (failure == null) {
                received.run();
                return WebhookResponse.empty(200);
            }
            log.warn("Telegram channel {}: {} not committed ({}); answering 500 so Telegram retries",
                    config.logLabel(), what, failure.toString());
            return WebhookResponse.text(500, "not stored, retry later");
        });
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static CompletionStage<WebhookResponse> done(WebhookResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
