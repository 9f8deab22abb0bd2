package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;

/**
 * A channel's declared routes and streams on a WebFlux application's own server (Reactor Netty, a random port, no
 * second server), mirroring {@link ChannelEndpointsServletTest}: a real WebSocket client opens the channel's stream,
 * is greeted with what the handshake carried, gets its frame echoed and a broadcast triggered over HTTP; a refused
 * client is closed with the handler's code, an oversized frame with 1009, every open stream with 1001 when the
 * application stops; the application's own WebSocket mapping still answers; routes keep exact-over-prefix matching
 * and their body limits; the same stream is offered as Server-Sent Events with heartbeat comments.
 */
@SpringBootTest(classes = ChannelEndpointsWebFluxTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=reactive", "switchboard.store.type=memory",
                "spring.flyway.enabled=false", "switchboard.endpoints.sse-heartbeat=200ms"})
class ChannelEndpointsWebFluxTest {
    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EchoStreamChannel echo;

    @Autowired
    ApplicationContext context;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        EchoStreamChannel echo() {
            return new EchoStreamChannel("/echo");
        }

        /** The application's own WebSocket endpoint, which the channels' mapping must leave alone. */
        @Bean
        HandlerMapping hostWebSocket() {
            WebSocketHandler shout = session -> session.send(session.receive()
                    .map(m -> session.textMessage(m.getPayloadAsText().toUpperCase())));
            return new SimpleUrlHandlerMapping(Map.of("/host/ws", shout), 10);
        }
    }

    /** Waits until the channel heard {@code name}'s stream close (other tests' streams may close meanwhile). */
    private void awaitClosed(String name) throws InterruptedException {
        String closed;
        do {
            closed = echo.closed.poll(10, TimeUnit.SECONDS);
            assertThat(closed).as("the channel saw %s's stream close", name).isNotNull();
        } while (!closed.equals(name));
    }

    private double openStreams() {
        io.micrometer.core.instrument.Gauge gauge = context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("switchboard.streams.open").tags("channel", "echo", "transport", "websocket").gauge();
        assertThat(gauge).as("the switchboard.streams.open gauge").isNotNull();
        return gauge.value();
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    private WebSocket connect(String path, ChannelEndpointsServletTest.Frames frames) throws Exception {
        return http.newWebSocketBuilder().header("X-Device", "phone").buildAsync(uri("ws", path), frames)
                .get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApplicationRunsOnTheReactiveServer() {
        assertThat(context).isInstanceOf(ReactiveWebServerApplicationContext.class);
        assertThat(((ReactiveWebServerApplicationContext) context).getWebServer().getClass().getSimpleName())
                .isEqualTo("NettyWebServer");
    }

    @Test
    void aChannelsWebSocketStreamRunsOnTheApplicationsPort() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        WebSocket ws = connect("/echo/stream?name=ann", frames);
        assertThat(frames.next()).isEqualTo("hello ann over WEBSOCKET from 127.0.0.1 as phone");
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(frames.next()).isEqualTo("echo:ping");

        HttpResponse<String> said = send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                .POST(HttpRequest.BodyPublishers.ofString("news")));
        assertThat(said.statusCode()).isEqualTo(202);
        assertThat(frames.next()).isEqualTo("said:news");

        // The open-streams gauge counts ann's connection while it is open, and no longer once it closed.
        double whileOpen = openStreams();
        assertThat(whileOpen).isGreaterThanOrEqualTo(1);

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        awaitClosed("ann");
        assertThat(openStreams()).isLessThan(whileOpen);
    }

    @Test
    void aRefusedClientIsClosedWithTheHandlersCode() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        connect("/echo/stream?name=intruder", frames);
        assertThat(frames.next()).isEqualTo("refused");
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4403);
    }

    @Test
    void aFrameAboveTheRoutesLimitClosesWith1009() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        WebSocket ws = connect("/echo/stream?name=big", frames);
        assertThat(frames.next()).startsWith("hello big");
        ws.sendText("x".repeat(1025), true).get(10, TimeUnit.SECONDS);
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        assertThat(frames.texts).as("the oversized frame was not echoed").isEmpty();
    }

    @Test
    void theApplicationsOwnWebSocketMappingStillAnswers() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri("ws", "/host/ws"), frames).get(10, TimeUnit.SECONDS);
        ws.sendText("quiet", true).get(10, TimeUnit.SECONDS);
        assertThat(frames.next()).isEqualTo("QUIET");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void openStreamsAreClosedWhenTheApplicationStops() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        connect("/echo/stream?name=dora", frames);
        assertThat(frames.next()).startsWith("hello dora");
        // What the context does first when it closes, before the web server's graceful shutdown.
        context.getBean("switchboardStreamSenders", SmartLifecycle.class).stop();
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        awaitClosed("dora");
        context.getBean("switchboardStreamSenders", SmartLifecycle.class).start();
    }

    @Test
    void routesKeepExactOverPrefixMatchingAndTheirBodyLimits() throws Exception {
        HttpResponse<String> small = send(HttpRequest.newBuilder(uri("http", "/echo/small"))
                .POST(HttpRequest.BodyPublishers.ofString("abc")));
        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(small.body()).isEqualTo("got abc");

        HttpResponse<String> tooLarge = send(HttpRequest.newBuilder(uri("http", "/echo/small"))
                .POST(HttpRequest.BodyPublishers.ofString("123456789")));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).isEqualTo("{\"error\":{\"code\":\"body_too_large\",\"limit\":8}}");

        HttpResponse<String> prefix = send(HttpRequest.newBuilder(uri("http", "/echo/say")).GET());
        assertThat(prefix.statusCode()).isEqualTo(200);
        assertThat(prefix.headers().firstValue("X-Seen")).hasValue("GET /echo/say");
        HttpResponse<String> deep = send(HttpRequest.newBuilder(uri("http", "/echo/a/b%20c")).DELETE());
        assertThat(deep.headers().firstValue("X-Seen")).hasValue("DELETE /echo/a/b c");

        assertThat(send(HttpRequest.newBuilder(uri("http", "/echoes")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stream without heartbeats never ends
    void theSameStreamIsOfferedAsServerSentEventsWithHeartbeats() throws Exception {
        HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(uri("http", "/echo/stream?name=bob"))
                        .timeout(Duration.ofSeconds(10)).header("X-Device", "laptop").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        assertThat(sse.headers().firstValue("Cache-Control")).hasValue("no-store");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            List<String> hello = nextRecord(lines);
            assertThat(hello).hasSize(2);
            assertThat(hello.get(0)).matches("id:\\s?\\d+");
            assertThat(hello.get(1)).isEqualTo("data:hello bob over SERVER_SENT_EVENTS from 127.0.0.1 as laptop");
            send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                    .POST(HttpRequest.BodyPublishers.ofString("two\nlines")));
            List<String> said = nextRecord(lines);
            assertThat(said.subList(1, said.size())).containsExactly("data:said:two", "data:lines");
            int heartbeats = 0;
            while (heartbeats < 2) {
                String line = lines.readLine();
                assertThat(line).as("the stream is still open").isNotNull();
                if (line.matches(":\\s?heartbeat")) {
                    heartbeats++;
                }
            }
        }
    }

    /** The next SSE record's lines ("data: x" written as "data:x"), skipping comments. */
    static List<String> nextRecord(BufferedReader lines) throws Exception {
        List<String> record = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (!record.isEmpty()) {
                    return record;
                }
            } else if (!line.startsWith(":")) {
                record.add(line.replaceFirst("^(\\w+): ", "$1:"));
            }
        }
        return record;
    }
}
