package dev.switchboard.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a channel serves over HTTP besides a {@link WebhookHandler}: request/response {@link HttpRoute}s and
 * {@link StreamRoute}s for clients that hold a connection open, by path, transport-neutral. A server (the bundled
 * Jetty one, a Spring Boot application, a host's own) mounts whatever each channel declares through
 * {@link Channel#endpoints()}, with no channel-specific code; several channels may share a server as long as their
 * paths differ (one website chat per site under {@code /webchat/<site>/*}). Immutable.
 */
public record HttpEndpoints(List<HttpRoute> routes, List<StreamRoute> streams) {
    private static final HttpEndpoints NONE = new HttpEndpoints(List.of(), List.of());

    public HttpEndpoints {
        routes = List.copyOf(routes);
        streams = List.copyOf(streams);
    }

    /** A channel that serves nothing over HTTP (the default of {@link Channel#endpoints()}). */
    public static HttpEndpoints none() {
        return NONE;
    }

    public boolean isEmpty() {
        return routes.isEmpty() && streams.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects routes and streams in declaration order. */
    public static final class Builder {
        private final List<HttpRoute> routes = new ArrayList<>();
        private final List<StreamRoute> streams = new ArrayList<>();

        private Builder() {
        }

        public Builder route(HttpRoute route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** A request/response route; see {@link HttpRoute}. */
        public Builder route(String method, String path, int maxBodyBytes, HttpHandler handler) {
            return route(new HttpRoute(method, path, maxBodyBytes, handler));
        }

        public Builder stream(StreamRoute stream) {
            streams.add(Objects.requireNonNull(stream, "stream"));
            return this;
        }

        public HttpEndpoints build() {
            return new HttpEndpoints(routes, streams);
        }
    }
}
