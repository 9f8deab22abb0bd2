package dev.switchboard.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The HTTP answer a channel's webhook gives: status, headers and body, independent of any server. */
public record WebhookResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public WebhookResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("bad HTTP status " + status);
        }
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public static WebhookResponse text(int status, String text) {
        return new WebhookResponse(status, Map.of("Content-Type", List.of("text/plain; charset=utf-8")),
                text.getBytes(StandardCharsets.UTF_8));
    }

    public static WebhookResponse json(int status, String json) {
        return new WebhookResponse(status, Map.of("Content-Type", List.of("application/json")),
                json.getBytes(StandardCharsets.UTF_8));
    }

    public static WebhookResponse empty(int status) {
        return new WebhookResponse(status, Map.of(), new byte[0]);
    }

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookResponse r && status == r.status && headers.equals(r.headers)
                && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return 31 * status + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "WebhookResponse[" + status + ", " + body.length + " bytes]";
    }
}
