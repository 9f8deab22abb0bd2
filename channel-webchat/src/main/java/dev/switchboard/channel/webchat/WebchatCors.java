package dev.switchboard.channel.webchat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pages may use the chat and the headers that say so: the site's allowed origins, CORS headers on every answer,
 * the preflight answer, and the JSON response shape with its no-store and nosniff headers. Immutable.
 */
final class WebchatCors {
    private final Set<String> allowed;

    WebchatCors(Set<String> allowedOrigins) {
        this.allowed = Set.copyOf(allowedOrigins);
    }

    /** Whether a page from {@code origin} may use the chat (always, when no allowed origins are configured). */
    public boolean originAllowed(Optional<String> origin) {
        return allowed.isEmpty() || origin.isEmpty() || allowed.contains(origin.get());
    }

    Map<String, List<String>> headers(Optional<String> origin) {
        Map<String, List<String>> h = corsHeaders(origin);
        h.put("Content-Type", List.of("application/json; charset=utf-8"));
        h.put("Cache-Control", List.of("no-store"));
        h.put("X-Content-Type-Options", List.of("nosniff"));
        return h;
    }

    Map<String, List<String>> corsHeaders(Optional<String> origin) {
        Map<String, List<String>> h = new HashMap<>();
        origin.filter(o -> originAllowed(origin)).ifPresent(o -> {
            h.put("Access-Control-Allow-Origin", List.of(o));
            h.put("Vary", List.of("Origin"));
        });
        return h;
    }

    WebhookResponse corsPreflight(Optional<String> origin) {
        // No Content-Type: a 204 has no body (a fuzzing run found the JSON type on the empty preflight answer).
        Map<String, List<String>> h = corsHeaders(origin);
        h.put("Access-Control-Allow-Methods", List.of("GET, POST, OPTIONS"));
        h.put("Access-Control-Allow-Headers", List.of("Content-Type, Authorization, Last-Event-ID"));
        h.put("Access-Control-Max-Age", List.of("600"));
        return new WebhookResponse(204, h, new byte[0]);
    }

    WebhookResponse response(int status, ObjectNode body, Optional<String> origin) {
        return new WebhookResponse(status, headers(origin), body.toString().getBytes(StandardCharsets.UTF_8));
    }
}
