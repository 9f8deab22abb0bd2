package dev.switchboard.spring.boot;

import dev.switchboard.channel.Channel;
import dev.switchboard.channel.HttpRoute;
import dev.switchboard.channel.StreamRoute;
import dev.switchboard.channel.StreamTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every inbox channel's declared {@code endpoints()} by path, resolved as the bundled Jetty server does: an exact path
 * wins over a prefix ({@code /a/*} matches {@code /a} and everything below it), a longer prefix over a shorter one,
 * and among mounts on one path the first declared that accepts the method answers. Two channels declaring the same
 * path and method (or stream transport) fail the start, naming both. Immutable after {@link #of}; thread-safe.
 * Internal.
 */
final class EndpointTable {
    private static final Logger log = LoggerFactory.getLogger(EndpointTable.class);

    /** One thing mounted on a path. */
    sealed interface Mount permits RouteMount, StreamMount {
    }

    /** A channel's request/response route. */
    record RouteMount(HttpRoute route) implements Mount {
    }

    /** A channel's stream. */
    record StreamMount(StreamRoute route) implements Mount {
    }

    private final Map<String, List<Mount>> exact;
    /** Prefixes without their {@code /*} ("" for {@code /*}), longest first. */
    private final List<Map.Entry<String, List<Mount>>> prefixes;
    private final List<StreamRoute> webSockets;

    private EndpointTable(Map<String, List<Mount>> exact, Map<String, List<Mount>> prefixes,
                          List<StreamRoute> webSockets) {
        this.exact = Map.copyOf(exact);
        List<Map.Entry<String, List<Mount>>> p = new ArrayList<>(prefixes.entrySet());
        p.sort(Comparator.comparingInt((Map.Entry<String, List<Mount>> e) -> e.getKey().length()).reversed());
        this.prefixes = List.copyOf(p);
        this.webSockets = List.copyOf(webSockets);
    }

    static EndpointTable of(List<Channel> channels) {
        return of(channels, StreamInstrumentation.NONE);
    }

    /** The table, each stream wrapped by {@code instrumentation} (the open-streams gauge). */
    static EndpointTable of(List<Channel> channels, StreamInstrumentation instrumentation) {
        Map<String, List<Mount>> exact = new LinkedHashMap<>();
        Map<String, List<Mount>> prefixes = new LinkedHashMap<>();
        List<StreamRoute> webSockets = new ArrayList<>();
        Map<String, Channel> taken = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Channel channel : channels) {
            for (HttpRoute route : channel.endpoints().routes()) {
                if (claim(taken, route.method() + " " + route.path(), channel, problems)) {
                    add(exact, prefixes, route.path(), new RouteMount(route));
                }
            }
            for (StreamRoute declared : channel.endpoints().streams()) {
                StreamRoute stream = instrumentation.instrument(channel, declared);
                boolean free = true;
                for (StreamTransport t : stream.transports()) {
                    free &= claim(taken, t + " " + stream.path(), channel, problems);
                }
                if (free) {
                    add(exact, prefixes, stream.path(), new StreamMount(stream));
                    if (stream.transports().contains(StreamTransport.WEBSOCKET)) {
                        webSockets.add(stream);
                    }
                }
            }
            if (!channel.endpoints().isEmpty()) {
                log.info("Switchboard endpoints of channel {}/{} mounted: {} route(s), {} stream(s)",
                        channel.tenant(), channel.id(), channel.endpoints().routes().size(),
                        channel.endpoints().streams().size());
            }
        }
        if (!problems.isEmpty()) {
            throw new SwitchboardConfigurationException(problems);
        }
        return new EndpointTable(exact, prefixes, webSockets);
    }

    private static boolean claim(Map<String, Channel> taken, String key, Channel channel, List<String> problems) {
        Channel other = taken.putIfAbsent(key, channel);
        if (other == null) {
            return true;
        }
        problems.add("switchboard.tenants: channels " + other.tenant() + "/" + other.id() + " and "
                + channel.tenant() + "/" + channel.id() + " both declare " + key
                + "; give them different base paths");
        return false;
    }

    private static void add(Map<String, List<Mount>> exact, Map<String, List<Mount>> prefixes, String path,
                            Mount mount) {
        if (path.endsWith("/*")) {
            prefixes.computeIfAbsent(path.substring(0, path.length() - 2), k -> new ArrayList<>()).add(mount);
        } else {
            exact.computeIfAbsent(path, k -> new ArrayList<>()).add(mount);
        }
    }

    /** A duration setting of the endpoints, checked to be positive. */
    static Duration positive(Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new SwitchboardConfigurationException(property, "must be a positive duration, e.g. 25s, got "
                    + value);
        }
        return value;
    }

    boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    /** The streams a WebSocket upgrade may open. */
    List<StreamRoute> webSockets() {
        return webSockets;
    }

    /** The mounts whose path matches {@code path}, best match first. */
    private List<List<Mount>> matches(String path) {
        List<List<Mount>> found = new ArrayList<>();
        List<Mount> e = exact.get(path);
        if (e != null) {
            found.add(e);
        }
        for (Map.Entry<String, List<Mount>> p : prefixes) {
            String prefix = p.getKey();
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                found.add(p.getValue());
            }
        }
        return found;
    }

    /**
     * The mount that answers a plain (not upgrading) request: the best-matching path first, and on one path the first
     * mount that accepts the method; a {@code GET} opens a Server-Sent Events stream where one is offered, a stream
     * offered only as WebSocket is skipped.
     */
    Optional<Mount> resolve(String method, String path) {
        for (List<Mount> mounts : matches(path)) {
            for (Mount m : mounts) {
                if (m instanceof RouteMount r && r.route().accepts(method)) {
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

    /** The stream a WebSocket upgrade on {@code path} opens, best-matching path first. */
    Optional<StreamRoute> webSocket(String path) {
        for (List<Mount> mounts : matches(path)) {
            for (Mount m : mounts) {
                if (m instanceof StreamMount s && s.route().transports().contains(StreamTransport.WEBSOCKET)) {
                    return Optional.of(s.route());
                }
            }
        }
        return Optional.empty();
    }
}
