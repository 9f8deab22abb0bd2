package dev.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.model.ChannelId;
import dev.switchboard.testkit.KitAccounts;
import dev.switchboard.testkit.RecordingInboundSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start, stop and start again; a second start refused; the HTTP resources released on stop (no OkHttp dispatcher
 * threads left behind) and shared across bots without a thread per bot.
 */
class TelegramLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TelegramFake fake;
    private final List<TelegramChannel> started = new ArrayList<>();

    @BeforeEach
    void startFake() {
        fake = new TelegramFake();
    }

    @AfterEach
    void stopAll() {
        started.forEach(c -> c.stop().toCompletableFuture().join());
        fake.close();
    }

    private TelegramChannel track(TelegramChannel channel) {
        started.add(channel);
        return channel;
    }

    private SendReceipt sendText(TelegramChannel channel, String text) {
        return channel.send(KitAccounts.text(channel, TelegramFake.KNOWN_RECIPIENT, text)).toCompletableFuture().join();
    }

    private static List<Thread> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    void aStoppedPollingChannelStartsAgainAndReceivesAndSendsAsBefore() {
        TelegramChannel channel = track(TestChannels.polling(fake).build());
        RecordingInboundSink first = new RecordingInboundSink();
        channel.start(first).toCompletableFuture().join();
        long a = Fixtures.push(fake, "text");
        await().atMost(WAIT).until(() -> first.eventsWithId(Long.toString(a)).size() == 1);
        SendReceipt before = sendText(channel, "before the restart");
        channel.stop().toCompletableFuture().join();

        RecordingInboundSink second = new RecordingInboundSink();
        channel.start(second).toCompletableFuture().join();
        long b = Fixtures.push(fake, "photo");
        await().atMost(WAIT).until(() -> second.eventsWithId(Long.toString(b)).size() == 1);
        SendReceipt after = sendText(channel, "after the restart");

        assertThat(second.events()).extracting(InboundEvent::eventId).containsExactly(Long.toString(b));
        assertThat(first.events()).extracting(InboundEvent::eventId).containsExactly(Long.toString(a));
        assertThat(after.platformMessageId()).isNotEqualTo(before.platformMessageId());
        assertThat(fake.sent()).hasSize(2);
    }

    @Test
    void aStoppedWebhookChannelStartsAgainRegistersTheWebhookAndAcceptsUpdates() {
        TelegramChannel channel = track(TestChannels.webhook(fake).build());
        fake.bind(channel);
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        channel.stop().toCompletableFuture().join();
        assertThat(fake.postToWebhook(Fixtures.withId("text", 9100).getBytes(), TestChannels.SECRET).status())
                .as("a stopped channel accepts nothing").isEqualTo(503);

        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        assertThat(fake.calls("setWebhook")).hasSize(2);
        assertThat(fake.postToWebhook(Fixtures.withId("text", 9101).getBytes(), TestChannels.SECRET).status())
                .isEqualTo(200);
        assertThat(sink.eventsWithId("9101")).hasSize(1);
        sendText(channel, "after the restart");
    }

    @Test
    void aSecondStartWhileRunningIsRefusedAndTheFirstSinkKeepsReceiving() {
        TelegramChannel channel = track(TestChannels.polling(fake).build());
        RecordingInboundSink first = new RecordingInboundSink();
        channel.start(first).toCompletableFuture().join();
        RecordingInboundSink second = new RecordingInboundSink();

        assertThatThrownBy(() -> channel.start(second).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
        long a = Fixtures.push(fake, "text");
        await().atMost(WAIT).until(() -> first.eventsWithId(Long.toString(a)).size() == 1);
        assertThat(second.events()).isEmpty();
    }

    @Test
    void stopReleasesTheChannelsHttpThreadsAndConnections() {
        TelegramTransport transport = TelegramTransport.builder().threadNamePrefix("lifecycle-test-tg").build();
        TelegramChannel channel = TestChannels.polling(fake).transport(transport).build();
        RecordingInboundSink sink = new RecordingInboundSink();
        channel.start(sink).toCompletableFuture().join();
        long a = Fixtures.push(fake, "text");
        await().atMost(WAIT).until(() -> sink.events().size() == 1);
        sendText(channel, "a reply, so the dispatcher has threads");
        assertThat(liveThreads("lifecycle-test-tg")).as("the transport's threads while running").isNotEmpty();

        channel.stop().toCompletableFuture().join();

        // a call cancelled by the stop (the pending long poll) gives its use back when its callback has run
        await().atMost(WAIT).untilAsserted(() -> assertThat(transport.users())
                .as("nothing holds the transport after stop").isZero());
        await().atMost(WAIT).untilAsserted(() -> assertThat(liveThreads("lifecycle-test-tg"))
                .as("threads of the channel's HTTP client still alive after stop").isEmpty());
        assertThat(a).isPositive();
    }

    @Test
    void aDefaultChannelLeavesNoNonDaemonOkHttpThreadsAfterStop() {
        TelegramChannel channel = TestChannels.polling(fake).build();
        channel.start(new RecordingInboundSink()).toCompletableFuture().join();
        sendText(channel, "hello");
        channel.stop().toCompletableFuture().join();
        await().atMost(WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("OkHttp"))
                .map(Thread::getName)).as("non-daemon OkHttp threads keep a stopped host's JVM alive").isEmpty());
    }

    @Test
    void aHostProvidedClientIsLeftRunningAfterStop() throws Exception {
        OkHttpClient host = new OkHttpClient();
        try {
            TelegramChannel channel = TestChannels.polling(fake).httpClient(host).build();
            channel.start(new RecordingInboundSink()).toCompletableFuture().join();
            sendText(channel, "through the host's client");
            channel.stop().toCompletableFuture().join();

            assertThat(host.dispatcher().executorService().isShutdown()).isFalse();
            try (Response r = host.newCall(new Request.Builder().url(okhttp3.HttpUrl.get(fake.url()).resolve("/bot"
                    + TelegramFake.TOKEN + "/getMe")).build()).execute()) {
                assertThat(r.code()).as("the host's client still works").isEqualTo(200);
            }
        } finally {
            host.dispatcher().executorService().shutdown();
            host.connectionPool().evictAll();
        }
    }

    @Test
    void manyPollingBotsShareTheTransportsFewThreadsInsteadOfOneThreadEach() {
        fake.close();
        int bots = 40;
        TelegramFake.Builder many = TelegramFake.builder().longPollCap(Duration.ofSeconds(25)); // as Telegram's
        for (int i = 0; i < bots; i++) {
            many.token(botToken(i)); // one bot each: Telegram ends a bot's older poll when a newer one arrives
        }
        fake = many.build();
        TelegramTransport transport = TelegramTransport.builder().threadNamePrefix("many-bots-tg")
                .maxConcurrentRequests(4).callbackThreads(2).build();
        List<RecordingInboundSink> sinks = new ArrayList<>();
        for (int i = 0; i < bots; i++) {
            TelegramChannel c = track(TestChannels.polling(fake).id(ChannelId.of("bot-" + i)).botToken(botToken(i))
                    .transport(transport).pollTimeout(Duration.ofSeconds(30)).build());
            RecordingInboundSink sink = new RecordingInboundSink();
            sinks.add(sink);
            c.start(sink).toCompletableFuture().join();
        }
        await().atMost(WAIT).until(() -> fake.maxOpenPolls() >= bots);
        // every bot holds a poll open now; 4 dispatcher threads at most, 2 callback threads, 1 timer: bounded whatever the number of bots
        assertThat(liveThreads("many-bots-tg")).as("threads of the shared transport with %d bots polling", bots)
                .hasSizeLessThanOrEqualTo(7);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.contains("poller"))).as("no thread per bot").isEmpty();
        long update = Fixtures.push(fake, "text");
        await().atMost(WAIT).until(() -> sinks.stream().anyMatch(s -> !s.eventsWithId(Long.toString(update))
                .isEmpty()));
    }

    private static String botToken(int i) {
        return (700_000_000 + i) + ":manyBotsToken_0123456789abcdefghijkl_" + i;
    }
}
