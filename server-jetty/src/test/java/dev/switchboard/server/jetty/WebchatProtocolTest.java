package dev.switchboard.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.channel.webchat.WebchatLimits;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol through the Jetty adapter with real clients: a Jetty WebSocket client and an SSE client on the
 * JDK's HttpClient. Covers resume after a forced disconnect with traffic both ways meanwhile, duplicate client message
 * ids, wrong tokens, forged HMACs, oversize messages, rate limits and connection limits.
 */
class WebchatProtocolTest {
    ChatFixture chat;

    @AfterEach
    void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    private static List<String> texts(List<JsonNode> frames, String from) {
        return frames.stream().filter(f -> f.path("type").asText().equals("message"))
                .filter(f -> f.path("from").asText().equals(from)).map(f -> f.path("text").asText())
                .collect(Collectors.toList());
    }

    private static List<Long> seqs(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("seq").asLong(0)).filter(s -> s > 0).collect(Collectors.toList());
    }

    private List<String> storedTexts() {
        return chat.sink.events(InboundEvent.MessageReceived.class).stream()
                .map(m -> m.content().plainText()).collect(Collectors.toList());
    }

    @Test
    void webSocketResumesAfterAForcedDisconnectWithNothingLostOrDoubled() throws Exception {
        chat = new ChatFixture();
        JsonNode s = chat.session();
        String token = s.path("token").asText();
        String sid = s.path("sessionId").asText();

        WsVisitor first = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token + "&after=0"));
        first.await("ready", f -> f.path("type").asText().equals("ready"));
        first.send(ChatFixture.message("m1", "Hello, is my order shipped?"));
        first.await("echo of m1", f -> f.path("clientId").asText().equals("m1"));
        chat.channel.send(KitAccounts.text(chat.channel, sid, "Agent reply 1")).toCompletableFuture().join();
        first.await("agent reply 1", f -> f.path("text").asText().equals("Agent reply 1"));

        // The network drops: the server closes the socket.
        chat.channel.disconnect(sid);
        first.awaitClosed();
        long resumeFrom = first.lastSeq();

        // Meanwhile the agent writes twice, and the visitor writes one message (kept in the widget's outbox).
        chat.channel.send(KitAccounts.text(chat.channel, sid, "Agent reply 2")).toCompletableFuture().join();
        chat.channel.send(KitAccounts.text(chat.channel, sid, "Agent reply 3")).toCompletableFuture().join();

        WsVisitor second = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token + "&after=" + resumeFrom));
        second.await("agent reply 3 replayed", f -> f.path("text").asText().equals("Agent reply 3"));
        // The outbox is resent on reconnect; m1 too, because its ack might have been lost: stored once anyway.
        second.send(ChatFixture.message("m2", "Written while offline"));
        second.send(ChatFixture.message("m1", "Hello, is my order shipped?"));
        second.await("ack of duplicate m1", f -> f.path("type").asText().equals("ack"));
        second.await("echo of m2", f -> f.path("clientId").asText().equals("m2")
                && f.path("type").asText().equals("message"));

        assertThat(texts(second.frames, "agent")).as("exactly the missed agent messages, in order, once")
                .containsExactly("Agent reply 2", "Agent reply 3");
        List<JsonNode> all = new ArrayList<>(first.frames);
        all.addAll(second.frames);
        List<Long> seq = seqs(all);
        assertThat(seq).as("sequence numbers over both connections are contiguous with no repeats")
                .doesNotHaveDuplicates().isSorted();
        assertThat(seq.get(seq.size() - 1)).isEqualTo(seq.size());
        assertThat(storedTexts()).containsExactly("Hello, is my order shipped?", "Written while offline");
        assertThat(chat.get("/webchat/history?token=" + token).body())
                .contains("Agent reply 1", "Agent reply 2", "Agent reply 3", "Written while offline");
        first.close();
        second.close();
    }

    @Test
    void sseResumesWithLastEventIdAndAcceptsMessagesByPost() throws Exception {
        chat = new ChatFixture();
        JsonNode s = chat.session();
        String token = s.path("token").asText();
        String sid = s.path("sessionId").asText();

        SseVisitor first = SseVisitor.connect(chat.http, chat.uri("/webchat/events?token=" + token + "&after=0"),
                Optional.empty());
        assertThat(first.status).isEqualTo(200);
        first.await("ready", f -> f.path("type").asText().equals("ready"));
        HttpResponse<String> posted = chat.post("/webchat/messages?token=" + token, "application/json",
                ChatFixture.message("p1", "Hi over SSE").getBytes(StandardCharsets.UTF_8));
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(ChatFixture.json(posted.body()).path("ok").asBoolean()).isTrue();
        first.await("echo of p1", f -> f.path("clientId").asText().equals("p1"));
        chat.channel.send(KitAccounts.text(chat.channel, sid, "SSE reply 1")).toCompletableFuture().join();
        first.await("reply 1", f -> f.path("text").asText().equals("SSE reply 1"));

        chat.channel.disconnect(sid);
        first.awaitEnded();
        long lastEventId = first.lastId();

        chat.channel.send(KitAccounts.text(chat.channel, sid, "SSE reply 2")).toCompletableFuture().join();
        HttpResponse<String> offline = chat.post("/webchat/messages?token=" + token, "application/json",
                ChatFixture.message("p2", "Sent while the stream was down").getBytes(StandardCharsets.UTF_8));
        assertThat(offline.statusCode()).isEqualTo(200);
        HttpResponse<String> again = chat.post("/webchat/messages?token=" + token, "application/json",
                ChatFixture.message("p2", "Sent while the stream was down").getBytes(StandardCharsets.UTF_8));
        assertThat(ChatFixture.json(again.body()).path("duplicate").asBoolean()).isTrue();

        SseVisitor second = SseVisitor.connect(chat.http, chat.uri("/webchat/events?token=" + token),
                Optional.of(lastEventId));
        second.await("p2 echo replayed", f -> f.path("clientId").asText().equals("p2"));
        second.await("duplicate ack replayed", f -> f.path("type").asText().equals("ack"));
        assertThat(texts(second.frames, "agent")).containsExactly("SSE reply 2");
        assertThat(texts(second.frames, "visitor")).containsExactly("Sent while the stream was down");
        List<Long> ids = new ArrayList<>(first.ids);
        ids.addAll(second.ids);
        ids.removeIf(i -> i == 0);
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat(storedTexts()).containsExactly("Hi over SSE", "Sent while the stream was down");
        first.close();
        second.close();
    }

    @Test
    void duplicateClientMessageIdIsStoredOnce() throws Exception {
        chat = new ChatFixture();
        String token = chat.session().path("token").asText();
        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token + "&after=0"))) {
            for (int i = 0; i < 3; i++) {
                v.send(ChatFixture.message("dup-1", "only once please"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> v.ofType("ack").size() == 2);
            assertThat(v.messages()).hasSize(1);
            assertThat(chat.sink.events()).hasSize(1);
            assertThat(chat.sink.events().get(0).eventId()).endsWith(":dup-1");
        }
    }

    @Test
    void wrongTokenGetsAClearErrorOnEveryTransport() throws Exception {
        chat = new ChatFixture();
        String token = chat.session().path("token").asText();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + tampered + "&after=0"))) {
            JsonNode e = v.await("error", f -> f.path("type").asText().equals("error"));
            assertThat(e.path("code").asText()).isEqualTo("invalid_token");
            v.awaitClosed();
            assertThat(v.closeCode).isEqualTo(1008);
            assertThat(v.messages()).isEmpty();
        }
        try (SseVisitor sse = SseVisitor.connect(chat.http, chat.uri("/webchat/events?token=" + tampered),
                Optional.empty())) {
            sse.awaitEnded();
            assertThat(sse.ofType("error")).extracting(f -> f.path("code").asText()).containsExactly("invalid_token");
        }
        assertThat(chat.get("/webchat/history?token=" + tampered).statusCode()).isEqualTo(401);
        assertThat(chat.get("/webchat/history").statusCode()).isEqualTo(401);
        HttpResponse<String> post = chat.post("/webchat/messages?token=garbage", "application/json",
                ChatFixture.message("x", "intrude").getBytes(StandardCharsets.UTF_8));
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(chat.sink.events()).isEmpty();
    }

    @Test
    void forgedHmacDoesNotMakeAVerifiedVisitor() throws Exception {
        chat = new ChatFixture();
        JsonNode forged = chat.sessionAs("user-7", ChatFixture.validToken("user-8"));
        assertThat(forged.path("verified").asBoolean()).isFalse();
        assertThat(forged.path("error").path("code").asText()).isEqualTo("identity_rejected");
        JsonNode genuine = chat.sessionAs("user-7", ChatFixture.validToken("user-7"));
        assertThat(genuine.path("verified").asBoolean()).isTrue();
        assertThat(genuine.path("sessionId").asText()).isNotEqualTo(forged.path("sessionId").asText());

        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + forged.path("token").asText()
                + "&after=0"))) {
            v.send(ChatFixture.message("f1", "I am user-7, trust me"));
            v.await("echo", f -> f.path("clientId").asText().equals("f1"));
        }
        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + genuine.path("token").asText()
                + "&after=0"))) {
            v.send(ChatFixture.message("g1", "really user-7"));
            v.await("echo", f -> f.path("clientId").asText().equals("g1"));
        }
        InboundEvent forgedEvent = chat.sink.events().stream().filter(e -> e.eventId().endsWith(":f1"))
                .findFirst().orElseThrow();
        InboundEvent genuineEvent = chat.sink.events().stream().filter(e -> e.eventId().endsWith(":g1"))
                .findFirst().orElseThrow();
        assertThat(forgedEvent.evidence()).noneMatch(e -> e.verified());
        assertThat(genuineEvent.evidence()).anySatisfy(e -> {
            assertThat(e.verified()).isTrue();
            assertThat(e.point().value()).isEqualTo("user-7");
            assertThat(e.source()).isEqualTo("webchat.hmac");
        });
    }

    @Test
    void oversizeMessageGetsAnErrorEventAndTheSocketStaysOpen() throws Exception {
        chat = new ChatFixture(WebchatLimits.DEFAULT.withMaxMessageBytes(100), b -> { });
        String token = chat.session().path("token").asText();
        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token + "&after=0"))) {
            v.send(ChatFixture.message("big", "x".repeat(101)));
            JsonNode e = v.await("error", f -> f.path("type").asText().equals("error"));
            assertThat(e.path("code").asText()).isEqualTo("message_too_large");
            assertThat(e.path("limit").asInt()).isEqualTo(100);
            assertThat(e.path("clientId").asText()).isEqualTo("big");
            v.send(ChatFixture.message("huge", "z".repeat(300_000)));
            JsonNode huge = v.await("error for a 300 KB frame", f -> f.path("clientId").asText().equals("huge"));
            assertThat(huge.path("code").asText()).isEqualTo("message_too_large");
            v.send(ChatFixture.message("small", "fits"));
            v.await("small stored", f -> f.path("clientId").asText().equals("small")
                    && f.path("type").asText().equals("message"));
            assertThat(v.closed).isFalse();
            assertThat(chat.sink.events()).hasSize(1);
        }
        HttpResponse<String> post = chat.post("/webchat/messages?token=" + token, "application/json",
                ChatFixture.message("big2", "y".repeat(500)).getBytes(StandardCharsets.UTF_8));
        assertThat(post.statusCode()).isEqualTo(413);
        assertThat(ChatFixture.json(post.body()).path("code").asText()).isEqualTo("message_too_large");
    }

    @Test
    void rateLimitGetsAnErrorWithRetryAfterAndTheSocketStaysOpen() throws Exception {
        chat = new ChatFixture(WebchatLimits.DEFAULT.withMessagesPerMinute(3), b -> { });
        String token = chat.session().path("token").asText();
        try (WsVisitor v = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token + "&after=0"))) {
            for (int i = 1; i <= 4; i++) {
                v.send(ChatFixture.message("r" + i, "message " + i));
            }
            JsonNode e = v.await("rate limit error", f -> f.path("code").asText().equals("rate_limited"));
            assertThat(e.path("clientId").asText()).isEqualTo("r4");
            assertThat(e.path("retryAfterMs").asLong()).isBetween(1L, 60_000L);
            await().atMost(Duration.ofSeconds(10)).until(() -> v.messages().size() == 3);
            v.send("{\"type\":\"ping\"}");
            v.await("pong after the limit", f -> f.path("type").asText().equals("pong"));
            assertThat(v.closed).isFalse();
            assertThat(chat.sink.events()).hasSize(3);
        }
    }

    @Test
    void tooManyConnectionsFromOneAddressGetsAnErrorEvent() throws Exception {
        chat = new ChatFixture(WebchatLimits.DEFAULT.withConnectionsPerIp(2), b -> { });
        String token = chat.session().path("token").asText();
        try (WsVisitor a = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token));
             WsVisitor b = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token));
             WsVisitor c = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token))) {
            a.await("ready", f -> f.path("type").asText().equals("ready"));
            b.await("ready", f -> f.path("type").asText().equals("ready"));
            JsonNode e = c.await("error", f -> f.path("type").asText().equals("error"));
            assertThat(e.path("code").asText()).isEqualTo("too_many_connections");
            c.awaitClosed();
            assertThat(c.ofType("ready")).isEmpty();
            a.close();
            // A slot frees up when a connection ends.
            await().atMost(Duration.ofSeconds(10)).until(() -> chat.channel.connectedStreams() == 1);
            try (WsVisitor d = WsVisitor.connect(chat.ws("/webchat/ws?token=" + token))) {
                d.await("ready", f -> f.path("type").asText().equals("ready"));
            }
        }
    }

    @Test
    void uploadsAreSizeLimitedAndAttachedToMessages() throws Exception {
        chat = new ChatFixture(WebchatLimits.DEFAULT.withMaxUploadBytes(1000), b -> { });
        JsonNode s = chat.session();
        String token = s.path("token").asText();
        HttpResponse<String> big = chat.post("/webchat/upload?token=" + token + "&name=big.bin",
                "application/octet-stream", new byte[1001]);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(ChatFixture.json(big.body()).path("code").asText()).isEqualTo("file_too_large");
        HttpResponse<String> ok = chat.post("/webchat/upload?token=" + token + "&name=receipt.png", "image/png",
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode file = ChatFixture.json(ok.body());
        // Another visitor cannot fetch it.
        String other = chat.session().path("token").asText();
        assertThat(chat.get(file.path("url").asText() + "?token=" + other).statusCode()).isEqualTo(404);
        HttpResponse<String> download = chat.get(file.path("url").asText() + "?token=" + token);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(download.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; sandbox");
        String frame = "{\"type\":\"message\",\"clientId\":\"att\",\"text\":\"my receipt\",\"attachments\":[{\"id\":\""
                + file.path("id").asText() + "\"}]}";
        assertThat(chat.post("/webchat/messages?token=" + token, "application/json",
                frame.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        InboundEvent.MessageReceived m = chat.sink.events(InboundEvent.MessageReceived.class).get(0);
        assertThat(m.content().parts()).hasSize(2);
        dev.switchboard.content.Media media = (dev.switchboard.content.Media) m.content().parts().get(1);
        assertThat(media.kind()).isEqualTo(dev.switchboard.content.MediaKind.IMAGE);
        assertThat(chat.channel.fetchMedia((dev.switchboard.content.MediaSource.PlatformFile) media.source())
                .toCompletableFuture().join().bytes()).hasSize(8);
    }
}
