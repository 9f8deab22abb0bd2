package dev.switchboard.channel.vk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The community's Callback API server. Answers {@code confirmation} with the confirmation string (with or without a
 * {@code secret}, never with a wrong one); refuses a request
 * whose {@code secret} does not match the configured one with 403 (nothing stored) and an event for another community
 * with 403; answers {@code ok} only after the inbox committed the event, and 503 with {@code Retry-After} when it could
 * not, so VK delivers it again (the inbox dedupes on VK's {@code event_id}). Input that can never become an event is
 * quarantined and then answered {@code ok}, so VK does not retry it forever. Thread-safe.
 */
final class VkWebhook implements WebhookHandler {
    private static final Logger log = LoggerFactory.getLogger(VkWebhook.class);
    /** Seconds a VK retry should wait when the inbox could not store an event. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final VkConfig config;
    private final Optional<byte[]> secret;
    private final VkInboundMapper mapper;
    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<InboundSink> sink;
    private final Supplier<CompletionStage<String>> confirmationCode;
    private final Consumer<VkInboundMapper.Mapped> observer;

    VkWebhook(VkConfig config, VkInboundMapper mapper, ObjectMapper json, Clock clock,
                      Supplier<InboundSink> sink, Supplier<CompletionStage<String>> confirmationCode,
                      Consumer<VkInboundMapper.Mapped> observer) {
        this.config = config;
        this.secret = config.callbackSecret().map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
        this.sink = sink;
        this.confirmationCode = confirmationCode;
        this.observer = observer;
    }

    /** {@code /webhooks/vk/<channel id>}: the URL to enter in the community's Callback API settings. */
    @Override
    public String path() {
        return "/webhooks/vk/" + config.channelId().value();
    }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        try {
            return handleChecked(request);
        } catch (RuntimeException e) {
            log.error("VK channel {}: Callback API request failed: {}", config.channelId(), e.toString());
            return retryLater();
        }
    }

    private CompletionStage<WebhookResponse> handleChecked(WebhookRequest request) {
        if (!request.method().equalsIgnoreCase("POST")) {
            return done(WebhookResponse.text(405, "POST only"));
        }
        if (request.bodyLength() > config.maxWebhookBodyBytes()) {
            log.warn("VK channel {}: Callback API body of {} bytes refused (limit {})", config.channelId(),
                    request.bodyLength(), config.maxWebhookBodyBytes());
            return done(WebhookResponse.text(413, "body over " + config.maxWebhookBodyBytes() + " bytes"));
        }
        byte[] body = request.body();
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            event = null;
        }
        // the secret is checked before anything is stored, quarantine included: a forged body costs nothing.
        // A confirmation request is answered even without a secret (VK may confirm a server before a key is set;
        // the confirmation string grants nothing), but never with a wrong one.
        boolean confirmation = event != null && "confirmation".equals(event.path("type").asText())
                && !event.has("secret");
        if (secret.isPresent() && !confirmation) {
            String presented = event == null ? "" : event.path("secret").asText("");
            if (!MessageDigest.isEqual(secret.get(), presented.getBytes(StandardCharsets.UTF_8))) {
                log.warn("VK channel {}: Callback API request with {} secret refused", config.channelId(),
                        presented.isEmpty() ? "no" : "a wrong");
                return done(WebhookResponse.text(403, "wrong secret"));
            }
        }
        InboundSink target = sink.get();
        if (target == null) {
            return retryLater();
        }
        if (event == null || !event.isObject()) {
            return quarantine(target, body, Optional.empty(), "body is not a JSON object");
        }
        long group = event.path("group_id").asLong(0);
        if (group != config.groupId()) {
            log.warn("VK channel {}: Callback API request for group {} refused (this channel serves {})",
                    config.channelId(), group, config.groupId());
            return done(WebhookResponse.text(403, "wrong group_id"));
        }
        if ("confirmation".equals(event.path("type").asText())) {
            return confirmationCode.get().handle((code, failure) -> {
                if (failure != null) {
                    log.warn("VK channel {}: cannot answer confirmation: {}", config.channelId(), failure.toString());
                    return WebhookResponse.text(503, "confirmation code unavailable");
                }
                log.info("VK channel {}: answering VK's confirmation request", config.channelId());
                return WebhookResponse.text(200, code);
            });
        }
        String eventId = event.path("event_id").asText("?");
        request.header("X-Retry-Counter").ifPresent(n -> log.debug("VK channel {}: retry {} of event {}",
                config.channelId(), n, eventId));
        VkInboundMapper.Outcome outcome = mapper.map(event);
        if (outcome instanceof VkInboundMapper.Rejected r) {
            return quarantine(target, body, r.eventId(), r.reason());
        }
        if (outcome instanceof VkInboundMapper.Ignored ignored) {
            log.debug("VK channel {}: ignoring event {}: {}", config.channelId(), ignored.eventId(), ignored.why());
            return done(ok());
        }
        VkInboundMapper.Mapped mapped = (VkInboundMapper.Mapped) outcome;
        observer.accept(mapped);
        return answerAfter(target.deliver(mapped.event()), "event " + mapped.event().eventId());
    }

    private CompletionStage<WebhookResponse> quarantine(InboundSink target, byte[] body, Optional<String> eventId,
                                                        String reason) {
        log.warn("VK channel {}: quarantining Callback API event {}: {}", config.channelId(), eventId.orElse("?"),
                reason);
        return answerAfter(target.reject(new RejectedInput(config.channelId(), eventId, body, reason,
                clock.instant())), "quarantine of " + eventId.orElse("an unreadable event"));
    }

    private CompletionStage<WebhookResponse> answerAfter(CompletionStage<Void> commit, String what) {
        return commit.handle((v, failure) -> {
            if (failure == null) {
                return ok();
            }
            log.warn("VK channel {}: {} not committed ({}); answering 503 so VK delivers it again",
                    config.channelId(), what, failure.toString());
            return retryAfter();
        });
    }

    private static WebhookResponse ok() {
        return WebhookResponse.text(200, "ok");
    }

    private static WebhookResponse retryAfter() {
        return new WebhookResponse(503, Map.of("Retry-After", List.of(Integer.toString(RETRY_AFTER_SECONDS)),
                "Content-Type", List.of("text/plain; charset=utf-8")),
                "not stored, retry later".getBytes(StandardCharsets.UTF_8));
    }

    private static CompletionStage<WebhookResponse> retryLater() {
        return done(retryAfter());
    }

    private static CompletionStage<WebhookResponse> done(WebhookResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
