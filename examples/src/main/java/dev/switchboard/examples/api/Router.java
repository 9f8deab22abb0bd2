package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A tiny, server-neutral HTTP router for the REST API: routes are a method plus a path template with
 * {@code {placeholders}} (one path segment each), matched exactly. Unknown paths answer 404 and known paths with
 * another method 405, both as JSON errors; a handler's {@link ApiException} becomes its status and error body; any
 * other exception becomes a 500 {@code internal_error} whose details go to the log, not to the client. The route list
 * is public so a test can check that every route is documented in the OpenAPI file.
 */
public final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** A route as documented: an upper-case method and a path template relative to the router's prefix. */
    public record RouteSpec(String method, String template) {
        public RouteSpec {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(template, "template");
        }
    }

    private record Route(RouteSpec spec, String[] segments, ApiHandler handler) {}

    private final String prefix;
    private final ObjectMapper mapper;
    private final List<Route> routes = new ArrayList<>();

    /** @param prefix where the router is mounted, e.g. {@code /api/v1}; paths outside it are not this router's */
    public Router(String prefix, ObjectMapper mapper) {
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start and not end with '/', got '" + prefix + "'");
        }
        this.prefix = prefix;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    public String prefix() {
        return prefix;
    }

    public Router get(String template, ApiHandler handler) {
        return add("GET", template, handler);
    }

    public Router post(String template, ApiHandler handler) {
        return add("POST", template, handler);
    }

    public Router add(String method, String template, ApiHandler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with '/', got '" + template + "'");
        }
        RouteSpec spec = new RouteSpec(method.toUpperCase(Locale.ROOT), template);
        for (Route r : routes) {
            if (r.spec().equals(spec)) {
                throw new IllegalArgumentException("duplicate route " + spec);
            }
        }
        routes.add(new Route(spec, template.substring(1).split("/"), Objects.requireNonNull(handler, "handler")));
        return this;
    }

    /** Every route, in registration order. */
    public List<RouteSpec> routes() {
        return routes.stream().map(Route::spec).toList();
    }

    /** Whether {@code path} is under this router's prefix. */
    public boolean owns(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /**
     * Routes one request.
     *
     * @param rawPath the request path, still percent-encoded
     * @param rawQuery the query string without '?', still encoded; may be empty
     */
    public ApiResponse handle(String method, String rawPath, String rawQuery, byte[] body) {
        return handle(method, rawPath, rawQuery, body, Map.of(), Optional.empty());
    }

    /**
     * Routes one request on behalf of {@code agent}; {@code headers} are handed to the handler (lower-case names).
     * {@code OPTIONS} on a known path answers 204 with {@code Allow}.
     */
    public ApiResponse handle(String method, String rawPath, String rawQuery, byte[] body,
                              Map<String, String> headers, Optional<String> agent) {
        if (!owns(rawPath)) {
            return error(404, "not_found", "no such endpoint: " + rawPath);
        }
        String relative = rawPath.substring(prefix.length());
        String[] segments = (relative.isEmpty() ? "" : relative.substring(1)).split("/", -1);
        String m = method.toUpperCase(Locale.ROOT);
        boolean pathMatched = false;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = match(route.segments(), segments);
            if (params.isEmpty()) {
                continue;
            }
            pathMatched = true;
            allowed.add(route.spec().method());
            if (!route.spec().method().equals(m)) {
                continue;
            }
            ApiRequest request = new ApiRequest(m, rawPath, params.get(), parseQuery(rawQuery), body, headers, agent);
            return invoke(route, request);
        }
        if (pathMatched && m.equals("OPTIONS")) {
            allowed.add("OPTIONS");
            return new ApiResponse(204, "text/plain", new byte[0]).withHeader("Allow", String.join(", ", allowed));
        }
        if (pathMatched) {
            return error(405, "method_not_allowed", m + " is not allowed here; use " + String.join(", ", allowed))
                    .withHeader("Allow", String.join(", ", allowed));
        }
        return error(404, "not_found", "no such endpoint: " + m + " " + rawPath);
    }

    private ApiResponse invoke(Route route, ApiRequest request) {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return error(e.status(), e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            // Model constructors validate ids and values; their messages say what was wrong with the input.
            return error(400, "invalid_request", e.getMessage());
        } catch (Exception e) {
            log.error("{} {} failed", request.method(), route.spec().template(), e);
            return error(500, "internal_error", "the server failed to handle the request; see the server log");
        }
    }

    /** The route {@code method rawPath} would run, if any. */
    public Optional<RouteSpec> match(String method, String rawPath) {
        if (!owns(rawPath)) {
            return Optional.empty();
        }
        String relative = rawPath.substring(prefix.length());
        String[] segments = (relative.isEmpty() ? "" : relative.substring(1)).split("/", -1);
        for (Route route : routes) {
            if (route.spec().method().equals(method.toUpperCase(Locale.ROOT))
                    && match(route.segments(), segments).isPresent()) {
                return Optional.of(route.spec());
            }
        }
        return Optional.empty();
    }

    /** The JSON error body every failure uses: {@code {"error":{"code":..,"message":..}}}. */
    public ApiResponse error(int status, String code, String message) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", code);
        err.put("message", message == null ? code : message);
        try {
            return ApiResponse.json(status, mapper.writeValueAsBytes(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Map<String, String>> match(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            String a = actual[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (a.isEmpty()) {
                    return Optional.empty();
                }
                params.put(t.substring(1, t.length() - 1), URLDecoder.decode(a, StandardCharsets.UTF_8));
            } else if (!t.equals(a)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return query;
    }
}
