package dev.switchboard.examples.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request to the REST API, independent of the server that received it: method, path, the values of the
 * route's {@code {placeholders}}, query parameters, the raw body, the request headers the API looks at (lower-case
 * names, first values) and the logged-in agent, when there is one.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams,
                         Map<String, List<String>> query, byte[] body, Map<String, String> headers,
                         Optional<String> agent) {

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        body = body.clone();
        headers = Map.copyOf(headers);
        Objects.requireNonNull(agent, "agent");
    }

    /** A request without headers or agent (tests). */
    public ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                      byte[] body) {
        this(method, path, pathParams, query, body, Map.of(), Optional.empty());
    }

    /** The logged-in agent; only unauthenticated routes run without one. */
    public String requireAgent() {
        return agent.orElseThrow(() -> new ApiException(401, "unauthorized", "log in first"));
    }

    /** A request header by lower-case name. */
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** A path placeholder's value; the router only calls a handler when all its placeholders matched. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no placeholder {" + name + "}");
        }
        return v;
    }

    /** The first value of a query parameter, empty when absent or blank. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0).strip());
    }

    /** An integer query parameter within {@code [min, max]}, or {@code defaultValue} when absent. */
    public int intParam(String name, int defaultValue, int min, int max) {
        Optional<String> raw = queryParam(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw.get());
            if (v < min || v > max) {
                throw ApiException.badRequest("'" + name + "' must be within " + min + ".." + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be an integer, got '" + raw.get() + "'");
        }
    }

    /** A long query parameter of at least {@code min}, or {@code defaultValue} when absent. */
    public long longParam(String name, long defaultValue, long min) {
        Optional<String> raw = queryParam(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(raw.get());
            if (v < min) {
                throw ApiException.badRequest("'" + name + "' must be >= " + min + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be an integer, got '" + raw.get() + "'");
        }
    }

    /** The body as a JSON object; an empty body reads as {@code {}}. Malformed JSON is a 400 with a clear message. */
    public JsonNode jsonBody(ObjectMapper mapper) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + ", " + body.length + " bytes]";
    }
}
