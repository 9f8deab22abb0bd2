package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A Server-Sent Events response on Spring MVC ends at {@code switchboard.endpoints.sse-timeout}, not at the servlet
 * container's async timeout (30 s on Tomcat, which would otherwise end every stream), and the channel hears the end.
 */
@SpringBootTest(classes = ChannelEndpointsServletTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.store.type=memory", "spring.flyway.enabled=false",
                "switchboard.endpoints.sse-timeout=1s", "switchboard.endpoints.sse-heartbeat=1h"})
class ServletSseTimeoutTest {
    @LocalServerPort
    int port;

    @Autowired
    EchoStreamChannel echo;

    @Test
    void theStreamEndsAtItsOwnTimeout() throws Exception {
        HttpResponse<InputStream> sse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/echo/stream?name=tim"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(sse.body(),
                    StandardCharsets.UTF_8))) {
                while (lines.readLine() != null) {
                    // read to the end of the response
                }
                return true;
            } catch (Exception e) {
                return true;
            }
        });
        // Well below the container's 30 s: the stream's own 1 s timeout ended it.
        assertThat(ended.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(echo.closed.poll(10, TimeUnit.SECONDS)).as("the channel heard the stream end").isEqualTo("tim");
    }
}
