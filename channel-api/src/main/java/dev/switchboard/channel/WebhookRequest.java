package dev.switchboard.channel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as a channel's webhook sees it, independent of any server: method, path, query, headers (looked up
 * case-insensitively) and the raw body bytes (signatures are computed over exact bytes, so the body is never decoded
 * before the channel sees it).
 */
public record WebhookRequest(String method, String path, Map<String, List<String>> query,
                             Map<String, List<String>> headers, byte[] body, Optional<String> remoteAddress) {
    public WebhookRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
            var all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        headers = java.util.Collections.unmodifiableMap(h);
        body = body.clone();
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    /** A POST with a body and headers, for tests and adapters. */
    public static WebhookRequest post(String path, Map<String, List<String>> headers, byte[] body) {
        return new WebhookRequest("POST", path, Map.of(), headers, body, Optional.empty());
    }

    /** The first value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    public String bodyAsUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest r && method.equals(r.method) && path.equals(r.path)
                && query.equals(r.query) && headers.equals(r.headers) && java.util.Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, query, java.util.Arrays.hashCode(body));
    }

    /** Headers are left out: they may carry secrets (signature tokens). */
    @Override
    public String toString() {
        return "WebhookRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }
}
