package dev.switchboard.spring.boot;

import dev.switchboard.channel.WebhookRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.util.UriUtils;

/**
 * Servlet requests as the channels' server-neutral {@link WebhookRequest}: the decoded path within the application
 * (what the channels' declared paths are matched against), the raw query's parameters, every header, the body and
 * the client's address. Internal.
 */
final class EndpointRequests {
    private EndpointRequests() {
    }

    /** The request's path within the application, percent-decoded. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = context != null && !context.isEmpty() && uri.startsWith(context)
                ? uri.substring(context.length()) : uri;
        return UriUtils.decode(path.isEmpty() ? "/" : path, StandardCharsets.UTF_8);
    }

    static WebhookRequest from(HttpServletRequest request, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, Collections.list(request.getHeaders(name)));
        }
        return new WebhookRequest(request.getMethod(), path(request), WebhookRoutes.query(request.getQueryString()),
                headers, body, Optional.ofNullable(request.getRemoteAddr()));
    }
}
