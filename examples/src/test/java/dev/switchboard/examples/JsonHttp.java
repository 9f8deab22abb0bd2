package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny JSON client for the demo's REST API in tests: status and parsed body of each call. */
final class JsonHttp {

    record Response(int status, JsonNode body) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private volatile String bearer;

    JsonHttp(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response send(String method, String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Logs in as {@code agent} and sends the bearer token with every later call. */
    JsonHttp login(String agent, String secret) throws IOException, InterruptedException {
        Response r = post("/auth/login", json(java.util.Map.of("agent", agent, "secret", secret, "mode", "bearer")));
        if (r.status() != 200) {
            throw new AssertionError("login answered " + r.status() + ": " + r.body());
        }
        bearer = r.body().path("token").asText();
        return this;
    }

    /** GET that must answer 200. */
    JsonNode ok(String path) throws IOException, InterruptedException {
        Response r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = res.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(res.body());
        return new Response(res.statusCode(), body);
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
