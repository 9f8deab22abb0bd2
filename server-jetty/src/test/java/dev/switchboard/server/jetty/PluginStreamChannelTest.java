package dev.switchboard.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server hosts a channel it has never heard of: a plugin's echo channel declares a stream and a route through the
 * streaming SPI, and the server mounts them by path, talks WebSocket and Server-Sent Events to it, and refuses two
 * channels that claim the same path.
 */
public class PluginStreamChannelTest {
    final HttpClient http = HttpClient.newHttpClient();
    SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A plugin channel with a push stream of its own: greets, echoes frames, broadcasts what is POSTed. */
    static final class EchoChannel implements Channel {
        final String base;
        final List<StreamSession> open = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicLong seq = new AtomicLong();

        EchoChannel(String base) {
            this.base = base;
        }

        @Override
        public HttpEndpoints endpoints() {
            return HttpEndpoints.builder()
                    .stream(new StreamRoute(base + "/stream", Set.of(StreamTransport.WEBSOCKET,
                            StreamTransport.SERVER_SENT_EVENTS), 1024, this::open))
                    .route("POST", base + "/say", 1024, req -> {
                        String text = req.bodyAsUtf8();
                        open.forEach(s -> s.send(seq.incrementAndGet(), "said:" + text));
                        return CompletableFuture.completedFuture(WebhookResponse.text(202, "to " + open.size()));
                    })
                    .build();
        }

        private StreamListener open(StreamSession session) {
            String name = session.request().queryParam("name").orElse("nobody");
            if (name.equals("intruder")) {
                session.send("refused");
                session.close(1008, "refused");
                return StreamListener.NONE;
            }
            open.add(session); // before the greeting: a client that read it may count the open streams
            session.send(seq.incrementAndGet(), "hello " + name + " over " + session.transport());
            return new StreamListener() {
                @Override
                public void onFrame(String text) {
                    session.send("echo:" + text);
                }

                @Override
                public void onClose() {
                    open.remove(session);
                    closed.countDown();
                }
            };
        }

        @Override
        public ChannelId id() {
            return ChannelId.of("echo");
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

    /** Jetty's WebSocket client, recording text frames in arrival order. */
    public static final class Client implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile int closeCode;
        volatile Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            frames.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closeCode = statusCode;
            closed.countDown();
        }

        String next() throws InterruptedException {
            String f = frames.poll(10, TimeUnit.SECONDS);
            assertThat(f).as("a frame within 10 s").isNotNull();
            return f;
        }
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aPluginChannelsStreamIsMountedAndTalksOverARealWebSocket() throws Exception {
        EchoChannel echo = new EchoChannel("/echo");
        server = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(echo).build().start();
        WebSocketClient ws = new WebSocketClient();
        ws.start();
        try {
            Client client = new Client();
            ws.connect(client, uri("ws", "/echo/stream?name=ann")).get(10, TimeUnit.SECONDS);
            assertThat(client.next()).isEqualTo("hello ann over WEBSOCKET");
            client.session.sendText("ping", Callback.NOOP);
            assertThat(client.next()).isEqualTo("echo:ping");

            HttpResponse<String> said = http.send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                    .POST(HttpRequest.BodyPublishers.ofString("news")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(said.statusCode()).isEqualTo(202);
            assertThat(said.body()).isEqualTo("to 1");
            assertThat(client.next()).isEqualTo("said:news");

            client.session.close();
            assertThat(echo.closed.await(10, TimeUnit.SECONDS)).as("the channel saw the stream close").isTrue();
            assertThat(echo.open).isEmpty();

            Client intruder = new Client();
            ws.connect(intruder, uri("ws", "/echo/stream?name=intruder")).get(10, TimeUnit.SECONDS);
            assertThat(intruder.next()).isEqualTo("refused");
            assertThat(intruder.closed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(intruder.closeCode).isEqualTo(1008);
        } finally {
            ws.stop();
        }
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(uri("http", "/echo/say")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(404);
    }

    @Test
    void theSameStreamIsOfferedAsServerSentEventsWithSequenceNumbersAsIds() throws Exception {
        EchoChannel echo = new EchoChannel("/echo");
        server = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(echo).build().start();
        HttpResponse<java.io.InputStream> sse = http.send(HttpRequest.newBuilder(uri("http", "/echo/stream?name=bob"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            assertThat(nextRecord(lines)).containsExactly("id: 1", "data: hello bob over SERVER_SENT_EVENTS");
            http.send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                    .POST(HttpRequest.BodyPublishers.ofString("two\nlines")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(nextRecord(lines)).containsExactly("id: 2", "data: said:two", "data: lines");
        }
    }

    /** The next SSE record's lines, skipping heartbeat comments. */
    private static List<String> nextRecord(BufferedReader lines) throws Exception {
        List<String> record = new java.util.ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (!record.isEmpty()) {
                    return record;
                }
            } else if (!line.startsWith(":")) {
                record.add(line);
            }
        }
        return record;
    }

    @Test
    void twoChannelsOnOnePathAreRefusedAndDifferentPathsShareAServer() throws Exception {
        assertThatThrownBy(() -> SwitchboardServer.builder().channel(new EchoChannel("/echo"))
                .channel(new EchoChannel("/echo")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/echo/");
        EchoChannel a = new EchoChannel("/echo/a");
        EchoChannel b = new EchoChannel("/echo/b");
        server = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(a).channel(b).build().start();
        WebSocketClient ws = new WebSocketClient();
        ws.start();
        try {
            Client client = new Client();
            ws.connect(client, uri("ws", "/echo/b/stream?name=carl")).get(10, TimeUnit.SECONDS);
            assertThat(client.next()).startsWith("hello carl");
            assertThat(b.open).hasSize(1);
            assertThat(a.open).isEmpty();
        } finally {
            ws.stop();
        }
    }
}
