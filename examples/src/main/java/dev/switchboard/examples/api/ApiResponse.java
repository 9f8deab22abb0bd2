package dev.switchboard.examples.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the REST API answers: a status, a content type, extra headers (cookies, file headers) and the body bytes. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, List<String>> headers) {

    public ApiResponse {
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
        headers = Map.copyOf(headers);
    }

    /** A response without extra headers. */
    public ApiResponse(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public static ApiResponse json(int status, byte[] json) {
        return new ApiResponse(status, "application/json; charset=utf-8", json);
    }

    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** This response with one more header value. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        h.merge(name, List.of(value), (a, b) -> {
            var all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        return new ApiResponse(status, contentType, body, h);
    }

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiResponse[" + status + ", " + body.length + " bytes]";
    }
}
