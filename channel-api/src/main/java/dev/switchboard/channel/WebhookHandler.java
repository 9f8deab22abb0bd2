package dev.switchboard.channel;

import java.util.concurrent.CompletionStage;

/**
 * A channel's webhook endpoint, servlet-neutral so any server can host it (the bundled Jetty adapter, a Spring
 * controller, a serverless function). The returned stage completes only after what the request carried is durably
 * stored, so a 2xx is an honest acknowledgement; a failure to store gives a 5xx and the platform retries.
 */
public interface WebhookHandler {

    /** The path the host should mount this handler at, e.g. {@code /webhooks/telegram/telegram-main}. */
    String path();

    CompletionStage<WebhookResponse> handle(WebhookRequest request);
}
