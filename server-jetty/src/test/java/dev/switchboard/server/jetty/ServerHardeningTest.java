package dev.switchboard.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the server says about itself and to strangers: no version header, JSON errors also for what Jetty refuses
 * before any route runs, and requests for an unknown host name (DNS rebinding) refused before routes and upgrades.
 */
class ServerHardeningTest {

    static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SwitchboardServer server(Set<String> hosts) {
        return SwitchboardServer.builder().host("127.0.0.1").port(0).allowedHosts(hosts)
                .route("GET", "/hello", r -> CompletableFuture.completedFuture(WebhookResponse.text(200, "hi")))
                .build().start();
    }

    @Test
    void noServerVersionHeaderAndJsonErrorsForUrlsJettyRefusesItself() throws IOException {
        try (SwitchboardServer server = server(Set.of())) {
            String ok = raw(server.port(), "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(ok).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("\r\nServer:")
                    .contains("X-Content-Type-Options: nosniff");

            String ambiguous = raw(server.port(),
                    "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(ambiguous).startsWith("HTTP/1.1 400").contains("application/json")
                    .contains("{\"error\":{\"code\":\"http_400\"").doesNotContainIgnoringCase("jetty")
                    .doesNotContain("<html");

            String badHeader = raw(server.port(), "GET /hello HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                    + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
            assertThat(badHeader).startsWith("HTTP/1.1 431").doesNotContainIgnoringCase("jetty")
                    .doesNotContain("<html");

            String missing = raw(server.port(), "GET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(missing).startsWith("HTTP/1.1 404").contains("\"not_found\"");
        }
    }

    @Test
    void anUnknownHostNameIsRefusedBeforeAnyRoute() throws IOException {
        try (SwitchboardServer server = server(Set.of("localhost", "chat.example.com"))) {
            assertThat(raw(server.port(), "GET /hello HTTP/1.1\r\nHost: localhost:" + server.port()
                    + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(raw(server.port(), "GET /hello HTTP/1.1\r\nHost: Chat.Example.com\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            String rebound = raw(server.port(), "GET /hello HTTP/1.1\r\nHost: attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(rebound).startsWith("HTTP/1.1 421").contains("\"unknown_host\"").doesNotEndWith("\r\n\r\nhi");
        }
    }

    @Test
    void allowedHostsTakesNamesWithoutPorts() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SwitchboardServer.builder()
                .allowedHosts(Set.of("localhost:8080"))).hasMessageContaining("without port");
    }
}
