package dev.switchboard.channel.viber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's webhook. Verifies {@code X-Viber-Content-Signature} over the raw body bytes before anything else: a
 * missing or wrong signature is answered 403 and nothing is parsed or stored. Answers Viber's {@code webhook} check
 * event (sent when {@code set_webhook} registers the URL) with 200; answers every other callback 200 only after the
 * inbox committed its event, and 503 with {@code Retry-After} when it could not, so Viber sends it again (the inbox
 * dedupes on the {@code message_token}). A {@code conversation_started} is answered, after the commit, with the
 * host's welcome message in the response body (a {@code send_message} JSON without receiver), the one message Viber
 * allows before the customer subscribes. Signed input that can never become an event is quarantined and then
 * answered 200, so Viber does not resend it for an hour. Thread-safe.
 */
final class ViberWebhook implements WebhookHandler {
    private static final Logger log = LoggerFactory.getLogger(ViberWebhook.class);
    static final String SIGNATURE_HEADER = "X-Viber-Content-Signature";
    static final int RETRY_AFTER_SECONDS = 5;

    private final ViberConfig config;
    private final ViberSignature signature;
    private final ViberInboundMapper mapper;
    private final ObjectMapper json;
    private final Clock clock;
    private final Supplier<Optional<InboundSink>> sink;
    private final Consumer<ViberInboundMapper.Mapped> observer;
    private final Function<ViberConversationStart, Optional<byte[]>> welcome;

    ViberWebhook(ViberConfig config, ViberSignature signature, ViberInboundMapper mapper, ObjectMapper json,
                 Clock clock, Supplier<Optional<InboundSink>> sink, Consumer<ViberInboundMapper.Mapped> observer,
                 Function<ViberConversationStart, Optional<byte[]>> welcome) {
        this.config = config;
        this.signature = signature;
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
        this.sink = sink;
        this.observer = observer;
        this.welcome = welcome;
    }

    /** {@code /webhooks/viber/<channel id>}: the path of the URL to register with {@code set_webhook}. */
    @Override
    public String path() {
        return "/webhooks/viber/" + config.channelId().value();
    }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        try {
            return handleChecked(request);
        } catch (RuntimeException e) {
            log.error("Viber channel {}: callback failed: {}", config.channelId(), e.toString());
            return done(retryAfter());
        }
    }

    private CompletionStage<WebhookResponse> handleChecked(WebhookRequest request) {
        if (!request.method().equalsIgnoreCase("POST")) {
            return done(WebhookResponse.text(405, "POST only"));
        }
        if (request.bodyLength() > config.maxWebhookBodyBytes()) {
            log.warn("Viber channel {}: callback body of {} bytes refused (limit {})", config.channelId(),
                    request.bodyLength(), config.maxWebhookBodyBytes());
            return done(WebhookResponse.text(413, "body over " + config.maxWebhookBodyBytes() + " bytes"));
        }
        byte[] body = request.body();
        Optional<String> presented = request.header(SIGNATURE_HEADER);
        if (presented.isEmpty() || !signature.verify(body, presented.get())) {
            log.warn("Viber channel {}: callback with {} signature refused", config.channelId(),
                    presented.isEmpty() ? "no" : "a wrong");
            return done(WebhookResponse.text(403, "bad signature"));
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root != null && "webhook".equals(root.path("event").asText())) {
            log.info("Viber channel {}: answering Viber's webhook check", config.channelId());
            return done(WebhookResponse.empty(200));
        }
        Optional<InboundSink> target = sink.get();
        if (target.isEmpty()) {
            return done(retryAfter());
        }
        ViberInboundMapper.Outcome outcome = mapper.map(root);
        if (outcome instanceof ViberInboundMapper.Rejected r) {
            log.warn("Viber channel {}: quarantining callback {}: {}", config.channelId(), r.eventId().orElse("?"),
                    r.reason());
            return answerAfter(target.get().reject(new RejectedInput(config.channelId(), r.eventId(), body,
                    r.reason(), clock.instant())), Optional.empty());
        }
        if (outcome instanceof ViberInboundMapper.Ignored ignored) {
            log.debug("Viber channel {}: ignoring callback: {}", config.channelId(), ignored.why());
            return done(WebhookResponse.empty(200));
        }
        ViberInboundMapper.Mapped mapped = (ViberInboundMapper.Mapped) outcome;
        observer.accept(mapped);
        return answerAfter(target.get().deliver(mapped.event()), mapped.start());
    }

    private CompletionStage<WebhookResponse> answerAfter(CompletionStage<Void> commit,
                                                         Optional<ViberConversationStart> start) {
        return commit.handle((v, failure) -> {
            if (failure != null) {
                log.warn("Viber channel {}: callback not committed ({}); answering 503 so Viber sends it again",
                        config.channelId(), failure.toString());
                return retryAfter();
            }
            if (start.isPresent()) {
                try {
                    Optional<byte[]> message = welcome.apply(start.get());
                    if (message.isPresent()) {
                        return new WebhookResponse(200, Map.of("Content-Type", List.of("application/json")),
                                message.get());
                    }
                } catch (RuntimeException e) {
                    // the event is stored: answer 200 without a welcome rather than have Viber resend it
                    log.warn("Viber channel {}: no welcome message: {}", config.channelId(), e.toString());
                }
            }
            return WebhookResponse.empty(200);
        });
    }

    private static WebhookResponse retryAfter() {
        return new WebhookResponse(503, Map.of("Retry-After", List.of(Integer.toString(RETRY_AFTER_SECONDS)),
                "Content-Type", List.of("text/plain; charset=utf-8")),
                "not stored, retry later".getBytes(StandardCharsets.UTF_8));
    }

    private static CompletionStage<WebhookResponse> done(WebhookResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
