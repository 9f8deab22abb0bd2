package dev.switchboard.channel;

import java.util.concurrent.CompletionStage;

/**
 * Answers the plain HTTP requests of one {@link HttpRoute}: a servlet-neutral request with its raw body in, a response
 * out when the stage completes (no server thread waits while it is pending). The website chat's session, history and
 * upload requests are handled this way; a webhook is the one-route special case with its own {@link WebhookHandler}.
 * Implementations are thread-safe: a server calls them concurrently.
 */
@FunctionalInterface
public interface HttpHandler {

    /** Handles one request whose body fit the route's limit; a failed stage becomes a 500 without details. */
    CompletionStage<WebhookResponse> handle(WebhookRequest request);

    /**
     * The answer to a request whose body was larger than the route's {@link HttpRoute#maxBodyBytes()}; the server
     * stops reading the body and sends this instead of calling {@link #handle}. Default: 413 with
     * {@code {"error":{"code":"body_too_large","limit":N}}}.
     */
    default WebhookResponse tooLarge(String path, int limit) {
        return WebhookResponse.json(413, "{\"error\":{\"code\":\"body_too_large\",\"limit\":" + limit + "}}");
    }
}
