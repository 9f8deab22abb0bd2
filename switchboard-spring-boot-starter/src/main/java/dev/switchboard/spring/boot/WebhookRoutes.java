package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Mounts every channel's {@link WebhookHandler} on the application's Spring MVC server at {@code prefix + path()}:
 * the request's method, query, headers and exact body bytes become a {@link WebhookRequest} (the body is read up to a
 * limit, 413 above it), the handler's {@link WebhookResponse} is written back asynchronously once the handler's stage
 * completes, i.e. after what the request carried is stored; a failing handler answers 500 and the platform retries.
 * Two channels with the same path are refused at startup. Stateless after construction, thread-safe. Internal.
 */
final class WebhookRoutes {
    private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);

    private WebhookRoutes() {
    }

    static RouterFunction<ServerResponse> of(List<Channel> channels, String prefix, long maxBodyBytes,
                                             BiFunction<Channel, WebhookHandler, WebhookHandler> decorate) {
        Map<String, WebhookHandler> mounts = mounts(channels, prefix, decorate);
        if (mounts.isEmpty()) {
            return request -> Optional.empty();
        }
        RouterFunctions.Builder routes = RouterFunctions.route();
        mounts.forEach((path, handler) ->
                routes.route(RequestPredicates.path(path), request -> handle(handler, request, maxBodyBytes)));
        return routes.build();
    }

    /**
     * Every channel's webhook by its full path ({@code prefix + path()}), decorated; two channels wanting one path
     * fail the start. Shared by the Spring MVC and WebFlux adapters.
     */
    static Map<String, WebhookHandler> mounts(List<Channel> channels, String prefix,
                                              BiFunction<Channel, WebhookHandler, WebhookHandler> decorate) {
        Map<String, Channel> byPath = new LinkedHashMap<>();
        Map<String, WebhookHandler> mounts = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        String base = normalise(prefix);
        for (Channel channel : channels) {
            Optional<WebhookHandler> webhook = channel.webhook();
            if (webhook.isEmpty()) {
                continue;
            }
            String path = base + webhook.get().path();
            Channel other = byPath.putIfAbsent(path, channel);
            if (other != null) {
                problems.add("switchboard.tenants: channels " + other.tenant() + "/" + other.id() + " and "
                        + channel.tenant() + "/" + channel.id() + " both want the webhook path " + path
                        + "; give them different channel ids");
                continue;
            }
            mounts.put(path, decorate.apply(channel, webhook.get()));
            log.info("Switchboard webhook of channel {}/{} mounted at {}", channel.tenant(), channel.id(), path);
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        return mounts;
    }

    private static String normalise(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.equals("/")) {
            return "";
        }
        String p = prefix.strip();
        p = p.startsWith("/") ? p : "/" + p;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static ServerResponse handle(WebhookHandler handler, ServerRequest request, long maxBodyBytes)
            throws IOException {
        HttpServletRequest servlet = request.servletRequest();
        byte[] body = read(servlet.getInputStream(), maxBodyBytes);
        if (body == null) {
            return ServerResponse.status(413).build();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(servlet.getHeaderNames())) {
            headers.put(name, Collections.list(servlet.getHeaders(name)));
        }
        WebhookRequest webhookRequest = new WebhookRequest(servlet.getMethod(), handler.path(),
                query(servlet.getQueryString()), headers, body, Optional.ofNullable(servlet.getRemoteAddr()));
        CompletableFuture<WebhookResponse> stage;
        try {
            stage = handler.handle(webhookRequest).toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return ServerResponse.async(stage.handle((response, failure) -> {
            if (failure != null) {
                log.warn("Webhook {} failed; answering 500 so the platform retries: {}", handler.path(),
                        failure.toString());
                return ServerResponse.status(500).build();
            }
            ServerResponse.BodyBuilder b = ServerResponse.status(response.status());
            response.headers().forEach((name, values) -> b.header(name, values.toArray(String[]::new)));
            return response.body().length == 0 ? b.build() : b.body(response.body());
        }));
    }

    /** The body, or null when it is longer than {@code max}. */
    private static byte[] read(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The query string's parameters (the servlet's own would read a form body, which the channel must see raw). */
    static Map<String, List<String>> query(String queryString) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }
}
