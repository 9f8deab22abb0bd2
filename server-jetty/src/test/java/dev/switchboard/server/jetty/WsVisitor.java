package dev.switchboard.server.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.awaitility.Awaitility;

/** A visitor's browser over a real WebSocket (Jetty's client): records every frame, sends frames. */
public final class WsVisitor implements Session.Listener.AutoDemanding, AutoCloseable {
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final WebSocketClient client;
    volatile Session session;
    volatile int closeCode;
    volatile boolean closed;

    private WsVisitor(WebSocketClient client) {
        this.client = client;
    }

    static WsVisitor connect(URI uri) throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.start();
        WsVisitor v = new WsVisitor(client);
        client.connect(v, uri).get(10, TimeUnit.SECONDS);
        return v;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        frames.add(ChatFixture.json(message));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode = statusCode;
        closed = true;
    }

    void send(String frame) {
        session.sendText(frame, Callback.NOOP);
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    List<JsonNode> messages() {
        return ofType("message");
    }

    JsonNode await(String what, Predicate<JsonNode> p) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10))
                .until(() -> frames.stream().anyMatch(p));
        return frames.stream().filter(p).findFirst().orElseThrow();
    }

    long lastSeq() {
        return frames.stream().mapToLong(f -> f.path("seq").asLong(0)).max().orElse(0);
    }

    void awaitClosed() {
        Awaitility.await("socket closed").atMost(Duration.ofSeconds(10)).until(() -> closed);
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close();
        }
        client.stop();
    }
}
