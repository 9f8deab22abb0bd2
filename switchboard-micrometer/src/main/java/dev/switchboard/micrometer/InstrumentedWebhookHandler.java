package dev.switchboard.micrometer;

import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A channel's webhook with a timer per response status and an observation around the request; the observation is
 * in scope while the channel handles the request, so the ingest observations it causes are its children. A handler
 * that throws or fails counts as status 500, which is what the host's adapter answers then. Internal.
 */
final class InstrumentedWebhookHandler implements WebhookHandler {
    private final WebhookHandler delegate;
    private final Tags tags;
    private final MeterRegistry meters;
    private final ObservationRegistry observations;

    InstrumentedWebhookHandler(WebhookHandler delegate, Tags tags, MeterRegistry meters,
                               ObservationRegistry observations) {
        this.delegate = delegate;
        this.tags = tags;
        this.meters = meters;
        this.observations = observations;
    }

    @Override
    public String path() {
        return delegate.path();
    }

    @Override
    public CompletionStage<WebhookResponse> handle(WebhookRequest request) {
        Observation observation = Observation.createNotStarted(SwitchboardMetrics.PREFIX + "webhook", observations)
                .contextualName("switchboard webhook " + tags.stream().filter(t -> t.getKey().equals("channel.type"))
                        .findFirst().map(t -> t.getValue()).orElse(""))
                .lowCardinalityKeyValues(MeterTags.keyValues(tags))
                .start();
        long started = System.nanoTime();
        CompletionStage<WebhookResponse> stage;
        try (Observation.Scope scope = observation.openScope()) {
            stage = delegate.handle(request);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.whenComplete((response, failure) -> {
            int status = failure == null ? response.status() : 500;
            String outcome = outcome(status);
            Timer.builder(SwitchboardMetrics.PREFIX + "webhook.requests")
                    .description("Webhook requests by response status")
                    .tags(tags.and("status", Integer.toString(status), "outcome", outcome))
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (failure != null) {
                observation.error(failure);
            }
            observation.lowCardinalityKeyValue("status", Integer.toString(status))
                    .lowCardinalityKeyValue("outcome", outcome).stop();
        });
    }

    static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        } else if (status < 300) {
            return "SUCCESS";
        } else if (status < 400) {
            return "REDIRECTION";
        } else if (status < 500) {
            return "CLIENT_ERROR";
        }
        return "SERVER_ERROR";
    }

    @Override
    public String toString() {
        return "Instrumented" + delegate;
    }
}
