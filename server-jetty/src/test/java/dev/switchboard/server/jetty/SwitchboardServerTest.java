package dev.switchboard.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook mounting, host routes and static files on the embedded server. */
class SwitchboardServerTest {
    final HttpClient http = HttpClient.newHttpClient();
    SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A webhook whose answer waits until the test commits, like a channel waiting for the inbox. */
    static final class PendingWebhook implements WebhookHandler {
        final List<WebhookRequest> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<WebhookResponse> answer = new CompletableFuture<>();

        @Override
        public String path() {
            return "/webhooks/test/main";
        }

        @Override
        public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
            received.add(request);
            return answer;
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void webhookGetsTheRawBodyAndIsAnsweredOnlyWhenItsStageCompletes() throws Exception {
        PendingWebhook hook = new PendingWebhook();
        server = SwitchboardServer.builder().host("127.0.0.1").port(0).webhook(hook).maxBodyBytes(64).build()
                .start();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(HttpRequest.newBuilder(uri(hook.path()))
                .header("X-Signature", "abc").POST(HttpRequest.BodyPublishers.ofString("{\"update_id\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.received.size() == 1);
        assertThat(hook.received.get(0).bodyAsUtf8()).isEqualTo("{\"update_id\":1}");
        assertThat(hook.received.get(0).header("x-signature")).contains("abc");
        assertThat(pending).isNotDone();
        hook.answer.complete(WebhookResponse.text(200, "stored"));
        HttpResponse<String> r = pending.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored");

        HttpResponse<String> big = http.send(HttpRequest.newBuilder(uri(hook.path()))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(65))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(hook.received).hasSize(1);
    }

    @Test
    void routesAndStaticFilesServeAHostsOwnPages(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("index.html"), "<h1>console</h1>");
        server = SwitchboardServer.builder().host("127.0.0.1").port(0)
                .route("GET", "/api/conversations", req -> CompletableFuture.completedFuture(
                        WebhookResponse.json(200, "{\"path\":\"" + req.path() + "\",\"q\":\""
                                + req.queryParam("status").orElse("") + "\"}")))
                .route("*", "/api/echo", req -> CompletableFuture.completedFuture(
                        WebhookResponse.text(201, req.method() + " " + req.bodyAsUtf8())))
                .staticResources("/console", dir)
                .build().start();
        assertThat(get("/api/conversations/7?status=open").body())
                .isEqualTo("{\"path\":\"/api/conversations/7\",\"q\":\"open\"}");
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(uri("/api/echo"))
                .PUT(HttpRequest.BodyPublishers.ofString("привет", StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(echo.statusCode()).isEqualTo(201);
        assertThat(echo.body()).isEqualTo("PUT привет");
        HttpResponse<String> page = get("/console/");
        assertThat(page.body()).isEqualTo("<h1>console</h1>");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/html"));
        assertThat(get("/console/../../etc/passwd").statusCode()).as("Jetty refuses ambiguous paths, we refuse traversal")
                .isIn(400, 404);
        assertThat(get("/console/%2e%2e/%2e%2e/etc/passwd").statusCode()).isIn(400, 404);
        assertThat(get("/api-other").statusCode()).isEqualTo(404);
    }

    @Test
    void theBestMatchingPathAnswersWhateverTheOrderRoutesWereAdded() throws Exception {
        server = SwitchboardServer.builder().host("127.0.0.1").port(0)
                .route("*", "/api", req -> CompletableFuture.completedFuture(WebhookResponse.text(200, "api")))
                .route("GET", "/api/admin", req -> CompletableFuture.completedFuture(
                        WebhookResponse.text(200, "admin")))
                .route("GET", "/", req -> CompletableFuture.completedFuture(WebhookResponse.text(200, "root")))
                .build().start();
        assertThat(get("/api/admin/users").body()).as("the longer prefix wins").isEqualTo("admin");
        assertThat(get("/api/conversations").body()).isEqualTo("api");
        assertThat(get("/elsewhere").body()).isEqualTo("root");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/api/admin"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).as("a method the best path does not take falls to the next match").isEqualTo("api");
    }

    @Test
    void buildRejectsAnEmptyOrInconsistentConfiguration() {
        assertThatThrownBy(() -> SwitchboardServer.builder().build()).hasMessageContaining("nothing to serve");
        assertThatThrownBy(() -> SwitchboardServer.builder().route("GET", "api", r -> null))
                .hasMessageContaining("must start with '/'");
        PendingWebhook hook = new PendingWebhook();
        assertThatThrownBy(() -> SwitchboardServer.builder().webhook(hook).webhook(hook))
                .hasMessageContaining("two webhooks");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
