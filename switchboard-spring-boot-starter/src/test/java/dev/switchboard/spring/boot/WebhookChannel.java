package dev.switchboard.spring.boot;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test channel that receives by webhook at {@code /webhooks/test/<id>}: a POST whose {@code X-Token} header is
 * right stores its body as a text message from the user named by the {@code from} query parameter and answers 200
 * with "stored" once committed; a wrong token gets 401, a body "boom" a failed stage.
 */
final class WebhookChannel implements Channel {
    private final FakeChannel inner;

    WebhookChannel(String id) {
        this.inner = FakeChannel.of(TenantId.DEFAULT, id, ChannelType.of("test"), Capabilities.builder().build());
    }

    @Override
    public ChannelId id() {
        return inner.id();
    }

    @Override
    public ChannelType type() {
        return inner.type();
    }

    @Override
    public TenantId tenant() {
        return inner.tenant();
    }

    @Override
    public Capabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return inner.start(sink);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return inner.send(message);
    }

    @Override
    public CompletionStage<Void> stop() {
        return inner.stop();
    }

    @Override
    public Optional<WebhookHandler> webhook() {
        return Optional.of(new WebhookHandler() {
            @Override
            public String path() {
                return "/webhooks/test/" + inner.id().value();
            }

            @Override
            public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
                if (!request.header("X-Token").equals(Optional.of("right"))) {
                    return CompletableFuture.completedFuture(WebhookResponse.text(401, "wrong token"));
                }
                if (request.bodyAsUtf8().equals("boom")) {
                    return CompletableFuture.failedFuture(new IllegalStateException("store down"));
                }
                String from = request.queryParam("from").orElse("anonymous");
                return inner.receive(from, request.bodyAsUtf8()).thenApply(v -> new WebhookResponse(200,
                        Map.of("Content-Type", List.of("text/plain"), "X-Handled-By", List.of(inner.id().value())),
                        "stored".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        });
    }
}
