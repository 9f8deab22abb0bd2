package dev.switchboard.examples.docs.pager;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.channel.Channel;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.Markup;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ContactPoint;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.server.jetty.SwitchboardServer;
import dev.switchboard.testkit.ChannelCompatibilityKit;
import dev.switchboard.testkit.PlatformFake;
import dev.switchboard.testkit.RecordingInboundSink;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The samples of docs/write-your-own-channel.md that are not parts of the Pager channel itself (see
 * {@code DocSamplesTest}), and tests that the Pager channel the page builds works as the page says: the webhook acks
 * after the commit, refuses forged and oversized input and quarantines broken input; the builder names bad options;
 * the lifecycle refuses a second start and starts again after a stop; sends map Pager's answers to failure kinds.
 */
class WriteYourOwnChannelSamplesTest {

    private static final byte[] SECRET = "pager-webhook-secret-0123".getBytes(UTF_8);
    private static final String UPDATE = """
            {"event_id":"ev-1","ts":1767000000,
             "sender":{"id":"u-7","name":"Ada","phone":"+447700900123","phone_verified":true},
             "message":{"id":"m-1","text":"Where is my order?"}}""";

    /** The kit subclass of the page; an inner class, so neither Surefire nor JUnit runs it (PagerFake is a stub). */
    // ---- doc snippet begins
    class PagerChannelCompatibilityTest extends ChannelCompatibilityKit {
        private static final String TOKEN = "pgr_live_0123456789";
        private static final byte[] SECRET = "pager-webhook-secret-0123".getBytes(UTF_8);

        @Override protected PlatformFake createFake() throws Exception { return PagerFake.start(); }

        private PagerChannel.Builder builder(PlatformFake fake) {
            return PagerChannel.builder().id(ChannelId.of("pager")).apiToken(TOKEN).webhookSecret(SECRET)
                    .apiBase(((PagerFake) fake).uri());
        }

        @Override protected Channel createChannel(PlatformFake fake) { return builder(fake).build(); }

        @Override protected Map<String, Callable<? extends Channel>> invalidConfigurations(PlatformFake fake) {
            return Map.of("apiToken", () -> builder(fake).apiToken(" ").build(),
                    "sendTimeout", () -> builder(fake).sendTimeout(Duration.ZERO).build());
        }

        @Override protected Set<String> secrets() { return Set.of(TOKEN, new String(SECRET, UTF_8)); }

        @Override protected List<Object> objectsThatMustNotLeakSecrets(Channel channel) {
            return List.of(channel, ((PagerChannel) channel).config());
        }
    }
    // ---- doc snippet ends

    /** Compiled, not run: it reads secrets from the environment, writes under ./data and binds port 8080. */
    @SuppressWarnings("unused")
    static void plugItIn(Channel telegram, Channel email) {
        // ---- doc snippet begins
        PagerChannel pager = PagerChannel.builder().id(ChannelId.of("pager")).apiToken(System.getenv("PAGER_TOKEN"))
                .webhookSecret(System.getenv("PAGER_WEBHOOK_SECRET").getBytes(UTF_8)).build();

        Inbox inbox = Inbox.builder().store(JdbcInboxStore.h2File(Path.of("data")))
                .channel(telegram).channel(email).channel(pager)
                .build();
        SwitchboardServer server = SwitchboardServer.builder().port(8080)
                .channel(pager)                                  // mounts pager.webhook() and pager.endpoints()
                .build();
        inbox.start();
        server.start();
        // ---- doc snippet ends
    }

    private static PagerChannel.Builder pager() {
        return PagerChannel.builder().id(ChannelId.of("pager")).apiToken("pgr_live_0123456789").webhookSecret(SECRET);
    }

    private static WebhookResponse post(PagerChannel channel, String body, String signature) {
        WebhookRequest request = WebhookRequest.post(channel.webhook().orElseThrow().path(),
                Map.of("X-Pager-Signature", List.of(signature)), body.getBytes(UTF_8));
        return channel.webhook().orElseThrow().handle(request).toCompletableFuture().join();
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(UTF_8)));
    }

    @Test
    void aSignedUpdateIsAcknowledgedAfterTheCommitAndForgedOrBrokenInputIsNot() throws Exception {
        PagerChannel channel = pager().build();
        RecordingInboundSink sink = new RecordingInboundSink();
        assertThat(post(channel, UPDATE, sign(UPDATE)).status()).as("stopped").isEqualTo(503);
        channel.start(sink).toCompletableFuture().join();

        assertThat(post(channel, UPDATE, "00" + sign(UPDATE).substring(2)).status()).isEqualTo(401);
        assertThat(sink.events()).isEmpty();

        sink.failNextDeliveries(1);
        assertThat(post(channel, UPDATE, sign(UPDATE)).status()).as("commit failed: retry").isEqualTo(503);
        assertThat(post(channel, UPDATE, sign(UPDATE)).status()).isEqualTo(200);
        InboundEvent.MessageReceived received = sink.events(InboundEvent.MessageReceived.class).get(0);
        assertThat(received.eventId()).isEqualTo("ev-1");
        assertThat(received.account().platformUserId()).isEqualTo("u-7");
        assertThat(received.evidence()).singleElement().satisfies(e -> {
            assertThat(e.point()).isEqualTo(new ContactPoint(ContactPoint.Kind.PHONE, "+447700900123"));
            assertThat(e.verified()).isTrue();
        });

        String broken = "{\"event_id\":";
        assertThat(post(channel, broken, sign(broken)).status()).as("quarantined, not retried").isEqualTo(200);
        assertThat(sink.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).startsWith("unparseable"));
        channel.stop().toCompletableFuture().join();
    }

    @Test
    void theLifecycleRefusesASecondStartAndStartsAgainAfterAStop() throws Exception {
        PagerChannel channel = pager().build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        assertThatThrownBy(() -> channel.start(sink).toCompletableFuture().join())
                .hasCauseInstanceOf(IllegalStateException.class);
        channel.stop().toCompletableFuture().join();
        channel.stop().toCompletableFuture().join();
        channel.start(sink).toCompletableFuture().join();
        assertThat(post(channel, UPDATE, sign(UPDATE)).status()).isEqualTo(200);
        assertThat(sink.events()).hasSize(1);
    }

    @Test
    void theBuilderNamesTheBadOptionAndNeverShowsTheToken() {
        assertThatThrownBy(() -> pager().apiToken(" ").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiToken");
        assertThatThrownBy(() -> pager().sendTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendTimeout");
        assertThat(pager().build().config().toString()).contains("apiToken=***").doesNotContain("pgr_live");
    }

    @Test
    void aSendReturnsPagersMessageIdAndARateLimitCarriesItsRetryAfter() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/v1/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean first = calls.incrementAndGet() == 1;
            byte[] body = (first ? "{\"message_id\":\"pm-1\"}" : "{\"error\":\"too_many\"}").getBytes(UTF_8);
            if (!first) {
                exchange.getResponseHeaders().add("Retry-After", "7");
            }
            exchange.sendResponseHeaders(first ? 200 : 429, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            PagerChannel channel = pager().apiBase(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                    .build();
            ChannelAccount anna = ChannelAccount.of(TenantId.DEFAULT, channel.id(), "u-7", Profile.EMPTY);
            OutboundMessage hello = OutboundMessage.simple(channel.id(), anna,
                    new Bubble.TextBubble("Hello", "Hello", Markup.HTML, List.of()));
            SendReceipt receipt = channel.send(hello).toCompletableFuture().join();
            assertThat(receipt.platformMessageId()).isEqualTo("pm-1");
            assertThatThrownBy(() -> channel.send(hello).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class).cause().isInstanceOfSatisfying(ChannelException.class,
                            e -> {
                                assertThat(e.failure().kind()).isEqualTo(FailureKind.RATE_LIMITED);
                                assertThat(e.failure().retryAfter()).contains(Duration.ofSeconds(7));
                            });
        } finally {
            server.stop(0);
        }
    }
}
