package dev.switchboard.examples.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What the REST API answers: a status, a content type and the body bytes. */
public record ApiResponse(int status, String contentType, byte[] body) {

    public ApiResponse {
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
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

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ApiResponse[" + status + ", " + body.length + " bytes]";
    }
}
