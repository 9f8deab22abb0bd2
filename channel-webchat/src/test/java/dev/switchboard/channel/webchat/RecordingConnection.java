package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.StreamSession;
import dev.switchboard.channel.StreamTransport;
import dev.switchboard.channel.WebhookRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A {@link StreamSession} that records every frame, standing in for a browser in transport-neutral tests. */
class RecordingConnection implements StreamSession {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    volatile boolean closed;
    volatile int closeCode;

    @Override
    public WebhookRequest request() {
        return new WebhookRequest("GET", "/webchat/ws", Map.of(), Map.of(), new byte[0], Optional.of("127.0.0.1"));
    }

    @Override
    public StreamTransport transport() {
        return StreamTransport.WEBSOCKET;
    }

    @Override
    public void send(long seq, String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (seq > 0 && n.path("seq").asLong() != seq) {
                throw new AssertionError("frame seq " + n.path("seq") + " differs from transport seq " + seq);
            }
            frames.add(n);
            seqs.add(seq);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closed = true;
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    List<JsonNode> messagesFrom(String from) {
        return ofType("message").stream().filter(f -> f.path("from").asText().equals(from))
                .collect(Collectors.toList());
    }
}
