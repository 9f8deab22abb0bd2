package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The website chat hosted on the application's own port from one {@code WebchatChannel} bean, whatever web stack the
 * application runs (a subclass per stack): the widget and the session endpoint answer over HTTP, a visitor's
 * WebSocket gets {@code ready}, a message sent over it is confirmed (pushed back with its sequence number) and lands
 * in the inbox, and a bad token is refused with the chat's close code 1008.
 */
abstract class WebchatOnTheApplicationServerTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Inbox inbox;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        WebchatChannel webchat() {
            return WebchatChannel.builder()
                    .tokenSecret("a-test-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8)).build();
        }
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    private JsonNode frame(ChannelEndpointsServletTest.Frames frames) throws Exception {
        return JSON.readTree(frames.next());
    }

    @Test
    void aVisitorChatsOverTheApplicationsOwnWebSocket() throws Exception {
        HttpResponse<String> widget = http.send(HttpRequest.newBuilder(uri("http", "/webchat/widget.js"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(widget.statusCode()).isEqualTo(200);

        HttpResponse<String> session = http.send(HttpRequest.newBuilder(uri("http", "/webchat/session"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ann\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(200);
        String token = JSON.readTree(session.body()).get("token").asText();

        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri("ws", "/webchat/ws?token=" + token), frames)
                .get(10, TimeUnit.SECONDS);
        assertThat(frame(frames).get("type").asText()).isEqualTo("ready");
        ws.sendText("{\"type\":\"message\",\"clientId\":\"c-1\",\"text\":\"hello shop\"}", true)
                .get(10, TimeUnit.SECONDS);
        JsonNode answer = frame(frames);
        while (!answer.get("type").asText().equals("message")) {
            answer = frame(frames);
        }
        // The chat confirms a stored visitor message by pushing it back with its sequence number.
        assertThat(answer.get("from").asText()).isEqualTo("visitor");
        assertThat(answer.get("clientId").asText()).isEqualTo("c-1");
        assertThat(answer.get("seq").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> storedTexts().contains("hello shop"));

        // A message at the chat's 8 KiB limit makes a frame above Tomcat's default 8 KiB text buffer: the stream
        // route's own frame limit applies instead (on WebFlux as well).
        String longest = "x".repeat(8 * 1024);
        ws.sendText("{\"type\":\"message\",\"clientId\":\"c-2\",\"text\":\"" + longest + "\"}", true)
                .get(10, TimeUnit.SECONDS);
        JsonNode echoed = frame(frames);
        while (!echoed.get("type").asText().equals("message")) {
            echoed = frame(frames);
        }
        assertThat(echoed.get("clientId").asText()).isEqualTo("c-2");
        assertThat(echoed.get("text").asText()).hasSize(8 * 1024);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBadTokenIsRefusedWithTheChatsCloseCode() throws Exception {
        ChannelEndpointsServletTest.Frames frames = new ChannelEndpointsServletTest.Frames();
        http.newWebSocketBuilder().buildAsync(uri("ws", "/webchat/ws?token=forged"), frames).get(10, TimeUnit.SECONDS);
        JsonNode error = frame(frames);
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_token");
        assertThat(frames.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
    }

    private List<String> storedTexts() {
        return inbox.conversations(ConversationQuery.all(TenantId.DEFAULT, 10)).items().stream()
                .flatMap(c -> inbox.messages(c.id()).stream()).map(m -> m.content().plainText()).toList();
    }
}
