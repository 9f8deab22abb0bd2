package dev.switchboard.server.jetty;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** A visitor over Server-Sent Events, read with the JDK's HttpClient; records frames and their {@code id:} lines. */
final class SseVisitor implements AutoCloseable {
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final List<Long> ids = new CopyOnWriteArrayList<>();
    final int status;
    private final InputStream body;
    private final Thread reader;
    volatile boolean ended;

    private SseVisitor(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        this.reader = new Thread(this::read, "sse-visitor");
        reader.setDaemon(true);
        reader.start();
    }

    static SseVisitor connect(HttpClient http, URI uri, Optional<Long> lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        lastEventId.ifPresent(id -> b.header("Last-Event-ID", Long.toString(id)));
        return new SseVisitor(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            long id = 0;
            StringBuilder data = new StringBuilder();
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        JsonNode f = ChatFixture.json(data.toString());
                        if (id > 0 && f.path("seq").asLong() != id) {
                            throw new AssertionError("SSE id " + id + " differs from frame seq " + f.path("seq"));
                        }
                        ids.add(id);
                        frames.add(f);
                    }
                    data.setLength(0);
                    id = 0;
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (java.io.IOException e) {
            // stream closed by the test or the server
        } finally {
            ended = true;
        }
    }

    List<JsonNode> ofType(String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).collect(Collectors.toList());
    }

    JsonNode await(String what, Predicate<JsonNode> p) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(p));
        return frames.stream().filter(p).findFirst().orElseThrow();
    }

    long lastId() {
        return ids.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    void awaitEnded() {
        Awaitility.await("SSE stream ended").atMost(Duration.ofSeconds(10)).until(() -> ended);
    }

    @Override
    public void close() throws Exception {
        body.close();
    }
}
