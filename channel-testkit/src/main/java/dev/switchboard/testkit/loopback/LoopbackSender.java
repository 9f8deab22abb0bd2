package dev.switchboard.testkit.loopback;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.content.Choice;
import dev.switchboard.render.Bubble;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The sender: one rendered bubble to exactly one platform call, and the platform's answer to a {@link SendReceipt} or
 * a {@link ChannelException} whose {@link FailureKind} tells the outbox whether and when to retry. Never throws.
 * Thread-safe (the outbox sends concurrently).
 */
final class LoopbackSender {
    private final LoopbackConfig config;
    private final LoopbackPlatform platform;
    private final Clock clock;

    LoopbackSender(LoopbackConfig config, LoopbackPlatform platform, Clock clock) {
        this.config = config;
        this.platform = platform;
        this.clock = clock;
    }

    CompletionStage<SendReceipt> send(OutboundMessage message) {
        Bubble bubble = message.bubble();
        if (!(bubble instanceof Bubble.TextBubble)) {
            // The renderer only emits media/location/contact bubbles when capabilities() says the channel has them.
            return CompletableFuture.failedFuture(new ChannelException(SendFailure.of(FailureKind.INVALID_REQUEST,
                    null, "loopback sends text only, got " + bubble.getClass().getSimpleName())));
        }
        Bubble.TextBubble text = (Bubble.TextBubble) bubble;
        List<String> labels = text.buttons().stream().map(Choice::label).collect(Collectors.toList());
        // formatted(): the text escaped for the declared Markup (plain() is for platforms without markup).
        // A real channel makes an HTTP call here and completes the stage from the response callback.
        LoopbackPlatform.ApiResponse r =
                platform.send(config.token(), message.recipient().platformUserId(), text.formatted(), labels);
        if (r.status() == 200) {
            return CompletableFuture.completedFuture(new SendReceipt(r.messageId().orElseThrow(), clock.instant()));
        }
        return CompletableFuture.failedFuture(new ChannelException(classify(r)));
    }

    /** Maps the platform's answer to what the outbox should do about it. */
    static SendFailure classify(LoopbackPlatform.ApiResponse r) {
        String code = Integer.toString(r.status());
        if (r.status() == 429) {
            return r.retryAfterSeconds()
                    .map(s -> SendFailure.rateLimited(Duration.ofSeconds(s), code, r.description()))
                    .orElseGet(() -> SendFailure.of(FailureKind.RATE_LIMITED, code, r.description()));
        }
        if (r.status() >= 500) {
            return SendFailure.of(FailureKind.UNAVAILABLE, code, r.description());
        }
        if (r.status() == 401) {
            return SendFailure.of(FailureKind.UNAUTHORIZED, code, r.description());
        }
        if (r.status() == 403) {
            return SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, code, r.description());
        }
        return SendFailure.of(FailureKind.INVALID_REQUEST, code, r.description());
    }
}
