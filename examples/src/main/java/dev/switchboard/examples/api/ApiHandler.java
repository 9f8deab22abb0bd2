package dev.switchboard.examples.api;

/** Handles one route of the REST API. Throw {@link ApiException} for errors the client should see. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
