package dev.switchboard.examples.docs.pager;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.ChannelLifecycle;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static java.nio.charset.StandardCharsets.US_ASCII;

// ---- doc snippet begins
final class PagerWebhook implements WebhookHandler {
    private static final int MAX_BODY = 256 * 1024;
    private final ObjectMapper json = new ObjectMapper();
    private final PagerConfig config;
    private final ChannelLifecycle lifecycle;                    // the channel's: sink() is the current run's sink
    private final PagerInboundMapper mapper;
    private final Clock clock;

    PagerWebhook(PagerConfig config, ChannelLifecycle lifecycle, PagerInboundMapper mapper, Clock clock) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override public String path() { return "/webhooks/pager/" + config.channelId(); }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        Optional<InboundSink> sink = lifecycle.sink();         // the current run's sink; empty while stopped
        if (sink.isEmpty()) {
            return done(WebhookResponse.text(503, "channel not running"));  // the platform retries later
        }
        if (!request.method().equals("POST")) {
            return done(WebhookResponse.text(405, "POST only"));
        }
        if (request.bodyLength() > MAX_BODY) {
            return done(WebhookResponse.text(413, "body too large"));
        }
        // Constant-time check of the platform's signature over the raw bytes; no secret in the answer or the log.
        if (!signatureValid(request.header("X-Pager-Signature").orElse(""), request.body())) {
            return done(WebhookResponse.text(401, "bad signature"));
        }
        InboundEvent event;
        try {
            event = mapper.toEvent(json.readTree(request.body()));
        } catch (IOException | RuntimeException e) {
            // Quarantine, then 200: the platform must not retry input that will never parse.
            return sink.get().reject(new RejectedInput(config.channelId(), Optional.empty(), request.body(),
                    "unparseable update: " + e.getMessage(), clock.instant()))
                    .thenApply(v -> WebhookResponse.empty(200));
        }
        return sink.get().deliver(event)                        // completes after the inbox committed
                .thenApply(v -> WebhookResponse.empty(200))     // ack after commit
                .exceptionally(e -> WebhookResponse.text(503, "not stored, retry"));  // not stored: let it retry
    }

    /** Pager signs the raw body: the hex HMAC-SHA256 of it under the webhook secret. */
    private boolean signatureValid(String signature, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.webhookSecret(), "HmacSHA256"));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(US_ASCII));   // constant time
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static CompletionStage<WebhookResponse> done(WebhookResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
// ---- doc snippet ends
