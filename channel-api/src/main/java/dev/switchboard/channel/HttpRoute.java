package dev.switchboard.channel;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One request/response endpoint a channel declares in its {@link HttpEndpoints}: the HTTP method ({@code *} for any),
 * the path pattern, the largest body the server reads for it, and the handler. A path is either exact
 * ({@code /webchat/session}) or a prefix ending in {@code /*} ({@code /webchat/*} matches {@code /webchat} and
 * everything below it); when several routes match, an exact path wins over a prefix and a longer prefix over a
 * shorter one, so one server can host {@code /webchat/shop-a/*} and {@code /webchat/shop-b/*} side by side.
 *
 * @param method an HTTP method in upper case, or {@code *}
 * @param path an exact path or a prefix ending in {@code /*}, starting with {@code /}
 * @param maxBodyBytes the largest request body; larger ones get {@link HttpHandler#tooLarge}
 * @param handler what answers the requests
 */
public record HttpRoute(String method, String path, int maxBodyBytes, HttpHandler handler) {
    private static final Pattern METHOD = Pattern.compile("\\*|[A-Z]{3,20}");

    public HttpRoute {
        Objects.requireNonNull(method, "method");
        method = method.toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException("method must be an HTTP method or '*', got '" + method + "'");
        }
        checkPath(path);
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + maxBodyBytes);
        }
        Objects.requireNonNull(handler, "handler");
    }

    /** Whether this route answers requests with {@code method}. */
    public boolean accepts(String requestMethod) {
        return method.equals("*") || method.equals(requestMethod)
                || method.equals("GET") && requestMethod.equals("HEAD");
    }

    /**
     * Checks an endpoint path: starts with {@code /}, no {@code //}, {@code ..} segment, query or fragment, and a
     * {@code *} only as the final {@code /*} of a prefix.
     *
     * @throws IllegalArgumentException naming the bad path
     */
    static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        String body = path.endsWith("/*") ? path.substring(0, path.length() - 2) : path;
        boolean ok = path.startsWith("/") && !body.contains("*") && !path.contains("//") && !path.contains("?")
                && !path.contains("#") && !(body + "/").contains("/../") && !(body + "/").contains("/./");
        if (!ok) {
            throw new IllegalArgumentException("an endpoint path is exact (/a/b) or a prefix (/a/*) starting with '/',"
                    + " got '" + path + "'");
        }
    }
}
