package dev.switchboard.spring.boot;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.StreamListener;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plugin channel the starter has never heard of, with a push stream of its own under {@code base}: the stream
 * ({@code base/stream}, WebSocket and Server-Sent Events) greets the client by its {@code name} query parameter and
 * the address and X-Device header of the opening request, echoes frames and broadcasts what is POSTed to {@code base/say};
 * a client named {@code intruder} is refused with close code 4403. {@code base/*} answers anything else with the
 * path it saw; {@code base/small} takes bodies of at most 8 bytes.
 */
final class EchoStreamChannel implements Channel {
    final List<StreamSession> open = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<String> closed = new LinkedBlockingQueue<>();
    private final String id;
    private final String base;
    private final AtomicLong seq = new AtomicLong();

    EchoStreamChannel(String base) {
        this("echo", base);
    }

    EchoStreamChannel(String id, String base) {
        this.id = id;
        this.base = base;
    }

    @Override
    public HttpEndpoints endpoints() {
        return HttpEndpoints.builder()
                .stream(new StreamRoute(base + "/stream", Set.of(StreamTransport.WEBSOCKET,
                        StreamTransport.SERVER_SENT_EVENTS), 1024, this::openStream))
                .route("POST", base + "/say", 1024, req -> {
                    String text = req.bodyAsUtf8();
                    open.forEach(s -> s.send(seq.incrementAndGet(), "said:" + text));
                    return CompletableFuture.completedFuture(WebhookResponse.text(202, "to " + open.size()));
                })
                .route("POST", base + "/small", 8, req ->
                        CompletableFuture.completedFuture(WebhookResponse.text(200, "got " + req.bodyAsUtf8())))
                .route("*", base + "/*", 1024, req -> CompletableFuture.supplyAsync(() ->
                        new WebhookResponse(200, Map.of("X-Seen", List.of(req.method() + " " + req.path())),
                                new byte[0])))
                .build();
    }

    private StreamListener openStream(StreamSession session) {
        String name = session.request().queryParam("name").orElse("nobody");
        if (name.equals("intruder")) {
            session.send("refused");
            session.close(4403, "not welcome");
            return StreamListener.NONE;
        }
        open.add(session); // before the greeting: a client that read it may count the open streams
        session.send(seq.incrementAndGet(), "hello " + name + " over " + session.transport() + " from "
                + session.request().remoteAddress().orElse("?") + " as "
                + session.request().header("X-Device").orElse("?"));
        return new StreamListener() {
            @Override
            public void onFrame(String text) {
                session.send("echo:" + text);
            }

            @Override
            public void onClose() {
                open.remove(session);
                closed.add(name);
            }
        };
    }

    @Override
    public ChannelId id() {
        return ChannelId.of(id);
    }

    @Override
    public ChannelType type() {
        return ChannelType.of("echo");
    }

    @Override
    public TenantId tenant() {
        return TenantId.DEFAULT;
    }

    @Override
    public Capabilities capabilities() {
        return Capabilities.builder().build();
    }

    @Override
    public CompletionStage<Void> start(InboundSink sink) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<SendReceipt> send(OutboundMessage message) {
        return CompletableFuture.completedFuture(new SendReceipt("1", Instant.EPOCH));
    }

    @Override
    public CompletionStage<Void> stop() {
        return CompletableFuture.completedFuture(null);
    }
}
