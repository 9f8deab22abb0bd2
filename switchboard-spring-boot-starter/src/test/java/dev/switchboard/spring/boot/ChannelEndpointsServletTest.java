package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.Channel;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * A channel's declared routes and streams on the application's own servlet server (Tomcat, a random port, no second
 * server): a real WebSocket client opens the channel's stream, is greeted with what the handshake carried, gets its
 * frame echoed and a broadcast triggered over HTTP; a refused client is closed with the handler's code; routes keep
 * exact-over-prefix matching and their own body limits; the same stream is offered as Server-Sent Events, with
 * heartbeat comments ({@link ServletSseTimeoutTest}: its own timeout).
 */
@SpringBootTest(classes = ChannelEndpointsServletTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.store.type=memory", "spring.flyway.enabled=false",
                "switchboard.endpoints.sse-heartbeat=300ms"})
class ChannelEndpointsServletTest {
    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EchoStreamChannel echo;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        EchoStreamChannel echo() {
            return new EchoStreamChannel("/echo");
        }
    }

    /** A JDK WebSocket listener recording whole text frames and the close code. */
    static final class Frames implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                texts.add(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            String f = texts.poll(10, TimeUnit.SECONDS);
            assertThat(f).as("a frame within 10 s").isNotNull();
            return f;
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

    private WebSocket connect(String path, Frames frames) throws Exception {
        return http.newWebSocketBuilder().header("X-Device", "phone").buildAsync(uri("ws", path), frames)
                .get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChannelsWebSocketStreamRunsOnTheApplicationsPort() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = connect("/echo/stream?name=ann", frames);
        assertThat(frames.next()).isEqualTo("hello ann over WEBSOCKET from 127.0.0.1 as phone");
        ws.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(frames.next()).isEqualTo("echo:ping");

        HttpResponse<String> said = send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                .POST(HttpRequest.BodyPublishers.ofString("news")));
        assertThat(said.statusCode()).isEqualTo(202);
        assertThat(said.body()).matches("to [1-9][0-9]*");
        assertThat(frames.next()).isEqualTo("said:news");

        // The open-streams gauge counts ann's connection while it is open, and no longer once it closed.
        double whileOpen = openStreams();
        assertThat(whileOpen).isGreaterThanOrEqualTo(1);

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        awaitClosed("ann");
        assertThat(openStreams()).isLessThan(whileOpen);
        assertThat(echo.open).noneMatch(open -> open.request().queryParam("name").orElse("").equals("ann"));
    }

    @Test
    void aRefusedClientIsClosedWithTheHandlersCode() throws Exception {
        Frames frames = new Frames();
        connect("/echo/stream?name=intruder", frames);
        assertThat(frames.next()).isEqualTo("refused");
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4403);
    }

    @Test
    void openStreamsAreClosedWhenTheApplicationStopsSoGracefulShutdownDoesNotWaitForThem() throws Exception {
        Frames frames = new Frames();
        connect("/echo/stream?name=dora", frames);
        assertThat(frames.next()).startsWith("hello dora");
        // What the context does first when it closes, before the web server's graceful shutdown.
        context.getBean("switchboardStreamSenders", org.springframework.context.SmartLifecycle.class).stop();
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        awaitClosed("dora");
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

        // The exact /echo/say only takes POST: a GET falls to the /echo/* prefix, as on the Jetty server.
        HttpResponse<String> prefix = send(HttpRequest.newBuilder(uri("http", "/echo/say")).GET());
        assertThat(prefix.statusCode()).isEqualTo(200);
        assertThat(prefix.headers().firstValue("X-Seen")).hasValue("GET /echo/say");
        HttpResponse<String> deep = send(HttpRequest.newBuilder(uri("http", "/echo/a/b%20c")).DELETE());
        assertThat(deep.headers().firstValue("X-Seen")).hasValue("DELETE /echo/a/b c");

        assertThat(send(HttpRequest.newBuilder(uri("http", "/echoes")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void theSameStreamIsOfferedAsServerSentEvents() throws Exception {
        HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(uri("http", "/echo/stream?name=bob"))
                .timeout(Duration.ofSeconds(10)).header("X-Device", "laptop").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            List<String> hello = nextRecord(lines);
            assertThat(hello).hasSize(2);
            assertThat(hello.get(0)).matches("id:\\s?\\d+");
            assertThat(hello.get(1)).isEqualTo("data:hello bob over SERVER_SENT_EVENTS from 127.0.0.1 as laptop");
            send(HttpRequest.newBuilder(uri("http", "/echo/say"))
                    .POST(HttpRequest.BodyPublishers.ofString("two\nlines")));
            List<String> said = nextRecord(lines);
            assertThat(said.subList(1, said.size())).containsExactly("data:said:two", "data:lines");
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stream without heartbeats never ends
    void aServerSentEventsStreamGetsHeartbeats() throws Exception {
        HttpResponse<InputStream> sse = http.send(HttpRequest.newBuilder(uri("http", "/echo/stream?name=eve"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            int heartbeats = 0;
            while (heartbeats < 3) {
                String line = lines.readLine();
                assertThat(line).as("the stream is still open after %d heartbeats", heartbeats).isNotNull();
                if (line.matches(":\\s?heartbeat")) {
                    heartbeats++;
                }
            }
            send(HttpRequest.newBuilder(uri("http", "/echo/say")).POST(HttpRequest.BodyPublishers.ofString("late")));
            List<String> said;
            do {
                said = nextRecord(lines);
            } while (!said.isEmpty() && !said.get(said.size() - 1).equals("data:said:late"));
            assertThat(said).as("data still flows between heartbeats").contains("data:said:late");
        }
    }

    /** The next SSE record's lines ("data: x" written as "data:x"), skipping comments. */
    private static List<String> nextRecord(BufferedReader lines) throws Exception {
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
