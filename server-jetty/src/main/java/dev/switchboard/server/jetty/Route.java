package dev.switchboard.server.jetty;

import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import java.util.concurrent.CompletionStage;

/**
 * A host's own HTTP endpoint mounted on the {@link SwitchboardServer} (a JSON REST API for an agent console, a health
 * check), in the same servlet-neutral terms as channel webhooks: the request with its raw body in, a response out when
 * the stage completes. No thread waits while the stage is pending.
 */
@FunctionalInterface
public interface Route {
    CompletionStage<WebhookResponse> handle(WebhookRequest request);
}
