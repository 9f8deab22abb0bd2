package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.WebhookRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request forgery checks the REST API runs before authentication: a state-changing request (anything but
 * GET, HEAD and OPTIONS) whose {@code Origin} is not the API's own ({@code http(s)://} + {@code Host}) or whose
 * {@code Sec-Fetch-Site} is {@code cross-site} gets 403 {@code origin_not_allowed}; a body that is not
 * {@code application/json} (a form or {@code text/plain}, which a foreign page can send without a preflight) gets 415
 * {@code unsupported_media_type}. Together with {@code SameSite=Strict} session cookies no page on another site can
 * act as a logged-in agent. Stateless and thread-safe.
 */
final class ApiGuard {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private final Router errors;

    ApiGuard(ObjectMapper mapper) {
        this.errors = new Router(ContactCenterApi.PREFIX, mapper);
    }

    Optional<ApiResponse> check(WebhookRequest request) {
        if (SAFE.contains(request.method().toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (request.header("Sec-Fetch-Site").map(v -> v.equalsIgnoreCase("cross-site")).orElse(false)) {
            return Optional.of(errors.error(403, "origin_not_allowed", "cross-site requests are not accepted"));
        }
        Optional<String> origin = request.header("Origin");
        if (origin.isPresent() && !sameOrigin(origin.get(), request.header("Host"))) {
            return Optional.of(errors.error(403, "origin_not_allowed",
                    "requests from another origin are not accepted"));
        }
        if (request.bodyLength() > 0) {
            String type = request.header("Content-Type").map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT))
                    .orElse("");
            if (!type.equals("application/json")) {
                return Optional.of(errors.error(415, "unsupported_media_type",
                        "send the body as application/json"));
            }
        }
        return Optional.empty();
    }

    static boolean sameOrigin(String origin, Optional<String> host) {
        if (host.isEmpty()) {
            return false;
        }
        String h = host.get().toLowerCase(Locale.ROOT);
        String o = origin.toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || o.equals("https://" + h);
    }
}
