package dev.switchboard.server.jetty;

import dev.switchboard.channel.HttpEndpoints;
import dev.switchboard.channel.HttpRoute;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamTransport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;

/**
 * What the server answers on which path: every webhook, every channel's declared routes and streams and the host's
 * own routes, in Jetty's {@link PathMappings} (an exact path wins over a prefix, a longer prefix over a shorter one),
 * so resolving a request is a lookup rather than a chain of checks and no channel is special. Several mounts may
 * share a path when their methods or transports differ. Immutable after building; lookups are thread-safe.
 */
final class Mounts {
    /** One thing mounted on a path. */
    sealed interface Mount permits RequestMount, StreamMount {
    }

    /** A request/response route (a channel's route, a webhook, a host route). */
    record RequestMount(HttpRoute route) implements Mount {
    }

    /** A channel's stream. */
    record StreamMount(StreamRoute route) implements Mount {
    }

    private final PathMappings<List<Mount>> mappings = new PathMappings<>();
    private final Set<String> taken = new HashSet<>();
    private final List<StreamRoute> webSockets = new ArrayList<>();

    static PathSpec spec(String path) {
        return new ServletPathSpec(path);
    }

    /** Adds a request route; {@code exclusive} refuses a second route with the same path and method. */
    void add(HttpRoute route, boolean exclusive, String what) {
        if (exclusive && !taken.add(route.path() + " " + route.method())) {
            throw new IllegalArgumentException("two " + what + "s on " + route.method() + " " + route.path());
        }
        mount(route.path(), new RequestMount(route));
    }

    void add(StreamRoute stream) {
        for (StreamTransport t : stream.transports()) {
            if (!taken.add(stream.path() + " " + t)) {
                throw new IllegalArgumentException("two streams over " + t + " on " + stream.path());
            }
        }
        mount(stream.path(), new StreamMount(stream));
        if (stream.transports().contains(StreamTransport.WEBSOCKET)) {
            webSockets.add(stream);
        }
    }

    void add(HttpEndpoints endpoints) {
        endpoints.routes().forEach(r -> add(r, true, "route"));
        endpoints.streams().forEach(this::add);
    }

    private void mount(String path, Mount mount) {
        PathSpec spec = spec(path);
        List<Mount> existing = mappings.get(spec);
        List<Mount> all = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        all.add(mount);
        mappings.put(spec, List.copyOf(all));
    }

    /** The streams a WebSocket upgrade may open. */
    List<StreamRoute> webSockets() {
        return List.copyOf(webSockets);
    }

    boolean isEmpty() {
        return mappings.isEmpty();
    }

    int size() {
        return mappings.size();
    }

    /**
     * The mount that answers {@code method} on {@code path}: the best-matching path first, and on one path the first
     * mount added that accepts the method. A plain {@code GET} opens a Server-Sent Events stream where one is
     * offered; a stream offered only as WebSocket is skipped here (upgrades are handled before).
     */
    Optional<Mount> resolve(String method, String path) {
        for (MatchedResource<List<Mount>> match : mappings.getMatchedList(path)) {
            for (Mount m : match.getResource()) {
                if (m instanceof RequestMount r && r.route().accepts(method)) {
                    return Optional.of(m);
                }
                if (m instanceof StreamMount s && method.equals("GET")
                        && s.route().transports().contains(StreamTransport.SERVER_SENT_EVENTS)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }
}
