package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.SendFailure;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.Evidence;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwitchboardMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.function.Predicate<io.micrometer.observation.Observation.ContextView>
            WEBHOOK_PARENT = parent -> "switchboard.webhook".equals(parent.getName());

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Inbox started(SwitchboardMetrics metrics, FakeChannel... channels) {
        Inbox.Builder b = Inbox.builder().store(new InMemoryInboxStore()).observer(metrics)
                .eventPollInterval(Duration.ofMillis(50))
                .outbox(OutboxSettings.builder().backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .pollInterval(Duration.ofMillis(20)).build());
        for (FakeChannel c : channels) {
            b.channel(c);
        }
        Inbox inbox = b.build();
        cleanup.add(inbox);
        cleanup.add(metrics.bindTo(inbox));
        inbox.start();
        return inbox;
    }

    private double count(String name, String... tags) {
        return meters.find(name).tags(tags).meters().stream().mapToDouble(SwitchboardMetricsTest::countOf).sum();
    }

    private static double countOf(Meter m) {
        for (var measurement : m.measure()) {
            if (measurement.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT) {
                return measurement.getValue();
            }
        }
        return 0;
    }

    @Test
    void ingestIsTimedFromDeliveryToCommitAndDuplicatesAndQuarantineAreCounted() throws Exception {
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        Inbox inbox = started(SwitchboardMetrics.builder(meters).observationRegistry(observations).build(), tg);

        var first = tg.text("alice", "hello");
        tg.deliver(first).toCompletableFuture().get(30, TimeUnit.SECONDS);
        tg.deliver(first).toCompletableFuture().get(30, TimeUnit.SECONDS); // the platform's retry
        tg.receive("bob", "hi").toCompletableFuture().get(30, TimeUnit.SECONDS);
        tg.reject("{not json", "unparseable update").toCompletableFuture().get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count("switchboard.ingest.latency", "channel", "tg-main", "channel.type", "telegram",
                    "event", "message", "outcome", "stored")).isEqualTo(3);
            assertThat(count("switchboard.ingest.latency", "event", "rejected", "outcome", "stored")).isEqualTo(1);
            assertThat(count("switchboard.ingest.duplicates", "channel", "tg-main", "event", "message")).isEqualTo(1);
            assertThat(count("switchboard.ingest.quarantined", "channel", "tg-main", "channel.type", "telegram"))
                    .isEqualTo(1);
        });
        assertThat(inbox.messages(conversationOf(inbox).id())).hasSize(1);
        // tenant tags are opt-in: off by default
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("tenant")).isNull());
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("switchboard.ingest", 4)
                .forAllObservationsWithNameEqualTo("switchboard.ingest", o -> o.hasLowCardinalityKeyValue("channel", "tg-main")
                        .hasLowCardinalityKeyValue("channel.type", "telegram")
                        .hasLowCardinalityKeyValue("outcome", "stored")
                        .doesNotHaveHighCardinalityKeyValueWithKey("user"));
    }

    @Test
    void observationsCarryNoPersonalData() throws Exception {
        List<io.micrometer.observation.Observation.Context> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        observations.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(io.micrometer.observation.Observation.Context context) {
                seen.add(context);
            }
        });
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        Inbox inbox = started(SwitchboardMetrics.builder(meters).observationRegistry(observations).build(), tg);
        tg.receive("user-4711", "my phone is +49 30 1234567").toCompletableFuture().get(30, TimeUnit.SECONDS);
        inbox.reply(conversationOf(inbox).id(), Content.text("Thanks, Alice"));
        await().atMost(WAIT).until(() -> count("switchboard.send.latency") == 1);

        assertThat(seen).extracting(c -> c.getName()).contains("switchboard.ingest", "switchboard.send");
        assertThat(seen).allSatisfy(context -> {
            String all = context.getAllKeyValues().toString() + context.getContextualName() + context.getName();
            assertThat(all).doesNotContain("4711", "1234567", "Alice", "phone");
        });
    }

    @Test
    void sendsAreTimedByOutcomeAndFailureKindWithRetryDelays() throws Exception {
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        Inbox inbox = started(SwitchboardMetrics.builder(meters).observationRegistry(observations).build(), tg);
        tg.receive("alice", "hello").toCompletableFuture().get(30, TimeUnit.SECONDS);
        Conversation c = conversationOf(inbox);

        tg.failNext(new SendFailure(FailureKind.UNAVAILABLE, Optional.empty(), Optional.of("502"), "bad gateway"));
        inbox.reply(c.id(), Content.text("first"));
        await().atMost(WAIT).until(() -> count("switchboard.send.latency", "outcome", "sent") == 1);
        tg.failNext(SendFailure.of(FailureKind.RECIPIENT_UNREACHABLE, "403", "bot was blocked by the user"));
        inbox.reply(c.id(), Content.text("second"));
        await().atMost(WAIT).until(() -> count("switchboard.send.latency", "outcome", "failed") == 1);

        assertThat(count("switchboard.send.latency", "channel", "tg-main", "outcome", "retry",
                "failure.kind", "UNAVAILABLE")).isEqualTo(1);
        assertThat(count("switchboard.send.latency", "outcome", "sent", "failure.kind", "none")).isEqualTo(1);
        assertThat(count("switchboard.send.latency", "outcome", "failed", "failure.kind", "RECIPIENT_UNREACHABLE"))
                .isEqualTo(1);
        assertThat(count("switchboard.send.retry.delay", "failure.kind", "UNAVAILABLE")).isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("switchboard.send", 3)
                .hasAnObservation(o -> o.hasNameEqualTo("switchboard.send")
                        .hasLowCardinalityKeyValue("outcome", "failed")
                        .hasLowCardinalityKeyValue("failure.kind", "RECIPIENT_UNREACHABLE")
                        .assertThatError().hasMessage("RECIPIENT_UNREACHABLE (code 403)"));
    }

    @Test
    void rateLimitWaitsAreTimed() throws Exception {
        FakeChannel tg = FakeChannel.of(TenantId.DEFAULT, "tg-main", ChannelType.TELEGRAM,
                dev.switchboard.channel.Capabilities.builder()
                        .perRecipientRateLimit(dev.switchboard.channel.RateLimit.perSecond(1)).build());
        Inbox inbox = started(SwitchboardMetrics.builder(meters).build(), tg);
        tg.receive("alice", "hello").toCompletableFuture().get(30, TimeUnit.SECONDS);
        Conversation c = conversationOf(inbox);
        inbox.reply(c.id(), Content.text("one"));
        inbox.reply(c.id(), Content.text("two"));
        await().atMost(WAIT).until(() -> count("switchboard.send.latency", "outcome", "sent") == 2);
        assertThat(count("switchboard.send.rate.limit.wait", "channel", "tg-main")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void outboxBacklogGaugesShowPendingRowsAndTheOldestAge() throws Exception {
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        CountDownLatch release = new CountDownLatch(1);
        tg.sendPolicy(m -> {
            try {
                release.await(30, TimeUnit.SECONDS); // hold the row pending while the gauges are read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeChannel.Succeed();
        });
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).clock(clock).channel(tg)
                .observer(SwitchboardMetrics.builder(meters).build()).build();
        cleanup.add(() -> {
            release.countDown();
            inbox.close();
        });
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters).backlogRefresh(Duration.ZERO).clock(clock)
                .build();
        cleanup.add(metrics.bindTo(inbox));
        inbox.start();
        assertThat(meters.get("switchboard.outbox.pending").gauge().value()).isZero();
        assertThat(meters.get("switchboard.outbox.oldest.age").timeGauge().value(TimeUnit.SECONDS)).isZero();

        tg.receive("alice", "hello").toCompletableFuture().get(30, TimeUnit.SECONDS);
        inbox.reply(conversationOf(inbox).id(), Content.text("held"));
        now[0] = now[0].plusSeconds(42);
        assertThat(meters.get("switchboard.outbox.pending").gauge().value()).isEqualTo(1);
        assertThat(meters.get("switchboard.outbox.oldest.age").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(42);
        release.countDown();
        await().atMost(WAIT).until(() -> meters.get("switchboard.outbox.pending").gauge().value() == 0);
    }

    @Test
    void backlogIsReadFromTheStoreAtMostOncePerRefreshInterval() {
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        int[] queries = {0};
        InMemoryInboxStore memory = new InMemoryInboxStore();
        dev.switchboard.inbox.spi.InboxStore store = new dev.switchboard.inbox.spi.InboxStore() {
            @Override
            public <T> T inTransaction(
                    dev.switchboard.store.TransactionWork<dev.switchboard.inbox.spi.InboxTransaction, T> work) {
                queries[0]++;
                return memory.inTransaction(work);
            }

            @Override
            public Optional<dev.switchboard.inbox.spi.Lease> tryAcquireLease(String name, String owner) {
                return memory.tryAcquireLease(name, owner);
            }

            @Override
            public void close() {
                memory.close();
            }
        };
        Inbox inbox = Inbox.builder().store(store).channel(tg).build();
        cleanup.add(inbox);
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters).backlogRefresh(Duration.ofHours(1)).build();
        cleanup.add(metrics.bindTo(inbox));
        int before = queries[0];
        for (int i = 0; i < 50; i++) {
            meters.get("switchboard.outbox.pending").gauge().value();
            meters.get("switchboard.outbox.oldest.age").timeGauge().value(TimeUnit.SECONDS);
        }
        assertThat(queries[0] - before).isEqualTo(2); // one sample: the count and the oldest row
    }

    @Test
    void mergesAndSuggestionsAreCountedFromTheFeedWithTenantTagsWhenAskedFor() throws Exception {
        TenantId acme = TenantId.of("acme");
        FakeChannel tg = FakeChannel.of(acme, "tg", ChannelType.TELEGRAM,
                dev.switchboard.channel.Capabilities.builder().build());
        FakeChannel mail = FakeChannel.of(acme, "mail", ChannelType.EMAIL,
                dev.switchboard.channel.Capabilities.builder().build());
        Inbox inbox = started(SwitchboardMetrics.builder(meters).tenantTags(true).build(), tg, mail);
        Evidence phone = Evidence.verified(new ContactPoint(ContactPoint.Kind.PHONE, "+79161234567"), "test.verified",
                Instant.now());
        tg.deliver(tg.text("alice", "hi", List.of(phone))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        mail.deliver(mail.text("alice@example.com", "hi again", List.of(phone))).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> count("switchboard.identity.merges", "tenant", "acme") == 1);
        assertThat(count("switchboard.ingest.latency", "tenant", "acme", "channel", "mail")).isEqualTo(1);
    }

    @Test
    void theWaitInTheRoutingQueueIsTimedPerQueueFromTheFeed() throws Exception {
        TenantId acme = TenantId.of("acme");
        FakeChannel tg = FakeChannel.of(acme, "tg", ChannelType.TELEGRAM,
                dev.switchboard.channel.Capabilities.builder().build());
        Inbox inbox = started(SwitchboardMetrics.builder(meters).tenantTags(true).build(), tg);
        dev.switchboard.inbox.routing.Routing routing = inbox.forTenant(acme).routing();
        routing.configure(dev.switchboard.inbox.routing.RoutingSettings.builder().build()); // least busy
        routing.register(dev.switchboard.inbox.routing.Agent.builder("anna").capacity(2).build());
        routing.setPresence("anna", dev.switchboard.inbox.routing.Presence.ONLINE);

        tg.deliver(tg.text("alice", "hi", List.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> count("switchboard.routing.queue.wait", "tenant", "acme", "queue",
                "default") == 1);
        assertThat(meters.get("switchboard.routing.queue.wait").timer().totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    void slaWarningsAndBreachesAreCountedPerKindAndPolicyFromTheFeed() throws Exception {
        TenantId acme = TenantId.of("acme");
        FakeChannel tg = FakeChannel.of(acme, "tg", ChannelType.TELEGRAM,
                dev.switchboard.channel.Capabilities.builder().build());
        dev.switchboard.testkit.ManualClock clock = new dev.switchboard.testkit.ManualClock(
                Instant.parse("2026-12-07T10:00:00Z"));
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters).tenantTags(true).build();
        Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).observer(metrics).clock(clock).channel(tg)
                .eventPollInterval(Duration.ofMillis(50)).build();
        cleanup.add(inbox);
        cleanup.add(metrics.bindTo(inbox));
        inbox.start();
        inbox.forTenant(acme).sla().configure(List.of(dev.switchboard.inbox.sla.SlaPolicy.builder("chat")
                .firstResponse(Duration.ofMinutes(10)).build()));

        tg.deliver(tg.text("alice", "hi", List.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // the deadline is stored when the SLA service has seen the message on the feed
        await().atMost(WAIT).until(() -> inbox.conversations(dev.switchboard.store.ConversationQuery.all(acme, 1))
                .items().stream().anyMatch(c -> !inbox.forTenant(acme).sla().deadlines(c.id()).isEmpty()));
        clock.advance(Duration.ofMinutes(9)); // past the 80 % warning point
        inbox.forTenant(acme).sla().runDue();
        clock.advance(Duration.ofMinutes(2)); // past the deadline
        inbox.forTenant(acme).sla().runDue();

        await().atMost(WAIT).until(() -> count("switchboard.sla.breaches", "tenant", "acme", "kind",
                "FIRST_RESPONSE", "policy", "chat") == 1);
        assertThat(count("switchboard.sla.warnings", "tenant", "acme", "policy", "chat")).isEqualTo(1);
    }

    @Test
    void webhookResponsesAreTimedByStatusAndTheIngestObservationIsTheWebhooksChild() throws Exception {
        FakeChannel tg = FakeChannel.of("tg-main", ChannelType.TELEGRAM);
        SwitchboardMetrics metrics = SwitchboardMetrics.builder(meters).observationRegistry(observations).build();
        started(metrics, tg);
        WebhookHandler handler = new WebhookHandler() {
            @Override
            public String path() {
                return "/webhooks/telegram/tg-main";
            }

            @Override
            public CompletableFuture<WebhookResponse> handle(WebhookRequest request) {
                if (request.bodyLength() == 0) {
                    return CompletableFuture.completedFuture(WebhookResponse.empty(400));
                }
                return tg.receive("alice", request.bodyAsUtf8()).toCompletableFuture()
                        .thenApply(v -> WebhookResponse.empty(200));
            }
        };
        WebhookHandler instrumented = metrics.instrument(tg, handler);
        assertThat(instrumented.path()).isEqualTo(handler.path());
        assertThat(instrumented.handle(WebhookRequest.post("/webhooks/telegram/tg-main", Map.of(),
                "hello".getBytes())).toCompletableFuture().get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(instrumented.handle(WebhookRequest.post("/webhooks/telegram/tg-main", Map.of(), new byte[0]))
                .toCompletableFuture().get(30, TimeUnit.SECONDS).status()).isEqualTo(400);

        assertThat(count("switchboard.webhook.requests", "channel", "tg-main", "status", "200", "outcome",
                "SUCCESS")).isEqualTo(1);
        assertThat(count("switchboard.webhook.requests", "status", "400", "outcome", "CLIENT_ERROR")).isEqualTo(1);
        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("switchboard.webhook", 2)
                .hasAnObservation(o -> o.hasNameEqualTo("switchboard.ingest")
                        .hasParentObservationContextMatching(WEBHOOK_PARENT));
    }

    private static Conversation conversationOf(Inbox inbox) {
        return inbox.conversations(ConversationQuery.all(inbox.channels().get(0).tenant(), 10)).items().get(0);
    }
}
