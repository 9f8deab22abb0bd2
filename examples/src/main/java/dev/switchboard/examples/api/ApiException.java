package dev.switchboard.examples.api;

import java.util.Objects;

/**
 * An error the REST API reports to its client as {@code {"error":{"code":"...","message":"..."}}} with an HTTP
 * status. Handlers throw it; the router turns it into the response. Messages are meant for the API's user and never
 * contain credentials.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
