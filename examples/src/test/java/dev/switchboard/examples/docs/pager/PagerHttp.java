package dev.switchboard.examples.docs.pager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Pager's JSON REST API over the JDK's HTTP client: one POST, the answer's JSON, or a {@link Refused} carrying the
 * HTTP status, Pager's error code and its {@code Retry-After}. The token goes in a header only, never in a message.
 */
final class PagerHttp {

    /** Pager answered with an error status. */
    static final class Refused extends RuntimeException {
        final int status;
        final String code;
        final Optional<Duration> retryAfter;

        Refused(int status, String code, Optional<Duration> retryAfter) {
            super("Pager answered " + status + " " + code);
            this.status = status;
            this.code = code;
            this.retryAfter = retryAfter;
        }
    }

    private final HttpClient client;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();

    PagerHttp(HttpClient client, String token) {
        this.client = client;
        this.token = token;
    }

    CompletionStage<JsonNode> post(URI uri, ObjectNode body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(this::answer);
    }

    private JsonNode answer(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new CompletionException(new UncheckedIOException("Pager answered no JSON", e));
        }
        if (response.statusCode() / 100 != 2) {
            Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                    .map(s -> Duration.ofSeconds(Long.parseLong(s.trim())));
            throw new Refused(response.statusCode(), body.path("error").asText("http_" + response.statusCode()),
                    retryAfter);
        }
        return body;
    }
}
