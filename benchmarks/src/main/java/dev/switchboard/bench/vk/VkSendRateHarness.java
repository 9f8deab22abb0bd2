package dev.switchboard.bench.vk;

import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.FailureKind;
import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.render.Bubble;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Dispatcher;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Send rate and exactly-once sends of the VK channel as a host uses it: replies through {@link Inbox#reply} and the
 * transactional outbox (in-memory store, default outbox settings), sent by a real {@link VkChannel} to the published
 * {@link VkFake}, which enforces the per-token limit (at most {@code rate} calls in any one-second window, more are
 * answered with error 6) and deduplicates {@code messages.send} on {@code random_id}. Three parts, each against a
 * fresh fake:
 * <ol>
 *   <li><b>paced</b>: {@code messages} replies to {@code users} customers; the rate between the first and the last
 *   accepted send against the allowed rate, and the error 6 count;</li>
 *   <li><b>baseline, unpaced</b>: the same replies sent straight to the fake's {@code messages.send} by 8 threads, without
 *   the outbox and its pacing; the error 6 count;</li>
 *   <li><b>lost answers</b>: the paced workload again, with the answer of {@code timeoutShare} of the
 *   {@code messages.send} calls lost after VK accepted the message (seeded); the duplicates the fake's customers
 *   see.</li>
 * </ol>
 * The outbox parts wait until the fake delivered every reply and the inbox holds every reply SENT with nothing pending
 * before they report. The channel declares the same limit as the fake ({@code requestsPerSecond(rate)}), so a rate
 * above VK's 20 is a time-scaled run. {@code -Dvk.channelRate=N} makes the channel declare N instead (a host's
 * configuration, e.g. a margin below the fake's limit); the fake keeps {@code rate}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.vk.VkSendRateHarness
 * [messages=2000] [users=200] [rate=20] [timeoutShare=0.10] [seed=20]}
 */
public final class VkSendRateHarness {
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final ChannelId VK = ChannelId.of("vk");
    private static final long FIRST_USER = 300_000_001L;
    private static final int AGENTS = 8;

    private VkSendRateHarness() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        double timeoutShare = args.length > 3 ? Double.parseDouble(args[3]) : 0.10;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 20;
        System.out.printf(Locale.ROOT, "VK sends through Inbox.reply and the outbox (in-memory store): %d replies to "
                + "%d users, fake limit %d requests/s per token%s%n", messages, users, rate,
                rate == 20 ? " (VK's default, real time)" : String.format(Locale.ROOT, " (x%.1f time scale)",
                        rate / 20.0));
        if (Integer.getInteger("vk.channelRate") != null) {
            System.out.printf(Locale.ROOT, "The channel declares requestsPerSecond(%d)%n",
                    Integer.getInteger("vk.channelRate"));
        }

        Outcome paced = throughOutbox("paced (outbox)", messages, users, rate, 0, seed);
        Outcome unpaced = direct(messages, users, rate);
        Outcome lost = throughOutbox(String.format(Locale.ROOT, "%.0f%% answers lost", 100 * timeoutShare), messages,
                users, rate, timeoutShare, seed);

        for (Outcome o : List.of(paced, unpaced, lost)) {
            System.out.printf(Locale.ROOT, "%-26s: %d delivered (%d duplicates seen by users), %d stored SENT, "
                    + "%d messages.send calls, %d error 6, %d answers lost, %.2f s = %.2f msg/s = %.1f%% of the "
                    + "allowed %d/s%s%n", o.name, o.delivered, o.duplicates, o.storedSent, o.sendCalls,
                    o.rateLimitErrors, o.injected, o.seconds, o.rate, 100 * o.rate / rate, rate,
                    o.verified ? "" : "  NOT VERIFIED");
            System.out.printf(Locale.ROOT, "%-26s  on the wire: at most %.0f calls in one second, shortest gap "
                    + "%.1f ms (even spacing: %.1f ms)%n", "", o.wire[0], o.wire[1],
                    1000.0 / Integer.getInteger("vk.channelRate", rate) + 1);
        }
        boolean ratePass = paced.verified && paced.rateLimitErrors == 0 && paced.rate >= 0.95 * rate;
        boolean dedupPass = lost.verified && lost.duplicates == 0 && lost.injected > 0;
        System.out.printf(Locale.ROOT, "RESULT: rate %s (%.1f%% of the allowed rate, %d error 6; unpaced baseline %d "
                + "error 6), exactly-once %s (%d duplicates after %d lost answers)%n", ratePass ? "PASS" : "FAIL",
                100 * paced.rate / rate, paced.rateLimitErrors, unpaced.rateLimitErrors, dedupPass ? "PASS" : "FAIL",
                lost.duplicates, lost.injected);
        System.exit(ratePass && dedupPass ? 0 : 1);
    }

    private record Outcome(String name, long delivered, long duplicates, long storedSent, long sendCalls,
                           long rateLimitErrors, long injected, double seconds, double rate, boolean verified,
                           double[] wire) {
    }

    private static VkChannel channel(VkFake fake, int rate, SendTap tap) {
        // as the channel's own default client (64 calls per host), plus the tap
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(64);
        dispatcher.setMaxRequestsPerHost(64);
        // a network interceptor, so it sees each call when it leaves (after the channel's own spacing)
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).addNetworkInterceptor(tap)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30)).build();
        return VkChannel.builder().id(VK).tenant(TENANT).groupId(VkFake.GROUP_ID).accessToken(VkFake.TOKEN)
                .apiBaseUrl(fake.apiBaseUrl()).callback(VkFake.SECRET, VkFake.CONFIRMATION)
                .requestsPerSecond(Integer.getInteger("vk.channelRate", rate)).httpClient(http).build();
    }

    private static Outcome throughOutbox(String name, int messages, int users, int rate, double timeoutShare,
                                         long seed) throws Exception {
        SendTap tap = new SendTap(timeoutShare, seed);
        try (VkFake fake = new VkFake().requestsPerSecond(rate)) {
            VkChannel vk = channel(fake, rate, tap);
            InMemoryInboxStore store = new InMemoryInboxStore();
            Inbox inbox = Inbox.builder().store(store).nodeId("node-1").channel(vk).build();
            try {
                inbox.start();
                List<ConversationId> conversations = seed(inbox, users);
                Thread.sleep(1100); // the start's groups.getById leaves the fake's one-second window
                int errorsBefore = fake.rateLimitErrors();
                int callsBefore = fake.calls("messages.send").size();
                // agents answering at once, so writing replies is not what limits the send rate being measured
                ExecutorService agents = Executors.newFixedThreadPool(AGENTS);
                List<Future<Message>> written = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    int reply = i;
                    written.add(agents.submit(() -> inbox.reply(TENANT, conversations.get(reply % users),
                            Content.text(text(reply)), ReplyOptions.defaults())));
                }
                List<Message> replies = new ArrayList<>();
                for (Future<Message> f : written) {
                    replies.add(f.get(10, TimeUnit.MINUTES));
                }
                agents.shutdown();
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (fake.sent().size() < messages && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // the inbox must say the same before anything counts: every reply SENT, nothing pending
                long storedSent = 0;
                for (int attempt = 0; attempt < 600; attempt++) {
                    storedSent = replies.stream().filter(m -> inbox.message(TENANT, m.id()).map(Message::status)
                            .orElse(DeliveryStatus.FAILED) == DeliveryStatus.SENT).count();
                    if (storedSent == messages && inbox.pendingOutboxCount() == 0) {
                        break;
                    }
                    Thread.sleep(50);
                }
                long[] seen = seenByUsers(fake, messages, users);
                boolean verified = seen[0] == messages && seen[2] == 0 && storedSent == messages
                        && inbox.pendingOutboxCount() == 0;
                return new Outcome(name, seen[0] + seen[1], seen[1], storedSent,
                        fake.calls("messages.send").size() - callsBefore, fake.rateLimitErrors() - errorsBefore,
                        tap.injectedTimeouts.get(), tap.seconds(), tap.rate(), verified, tap.wireSpacing());
            } finally {
                inbox.close();
                store.close();
                vk.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The baseline: the same replies sent straight to the API by {@value #AGENTS} threads, each {@code messages.send}
     * once and without any pacing, as a host calling VK itself would. (Not through {@link VkChannel#send}: the channel
     * spaces its own calls on the wire, so it cannot show what an unpaced sender collects.)
     */
    private static Outcome direct(int messages, int users, int rate) throws Exception {
        SendTap tap = new SendTap(0, 0);
        try (VkFake fake = new VkFake().requestsPerSecond(rate)) {
            Dispatcher dispatcher = new Dispatcher();
            dispatcher.setMaxRequests(64);
            dispatcher.setMaxRequestsPerHost(64);
            OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).addInterceptor(tap)
                    .readTimeout(Duration.ofSeconds(30)).build();
            HttpUrl send = HttpUrl.get(fake.apiBaseUrl()).newBuilder().addPathSegment("messages.send").build();
            AtomicLong refused = new AtomicLong();
            ExecutorService agents = Executors.newFixedThreadPool(AGENTS);
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int reply = i;
                sends.add(agents.submit(() -> {
                    FormBody form = new FormBody.Builder().add("peer_id", user(reply % users))
                            .add("random_id", Integer.toString(reply + 1)).add("message", text(reply))
                            .add("v", "5.199").build();
                    Request request = new Request.Builder().url(send)
                            .header("Authorization", "Bearer " + VkFake.TOKEN).post(form).build();
                    try (Response response = http.newCall(request).execute()) {
                        String body = response.body() == null ? "" : response.body().string();
                        if (body.contains("\"error_code\":6")) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : sends) {
                f.get(10, TimeUnit.MINUTES);
            }
            agents.shutdown();
            http.dispatcher().executorService().shutdown();
            long[] seen = seenByUsers(fake, messages, users);
            boolean verified = seen[0] + refused.get() == messages && refused.get() == fake.rateLimitErrors();
            return new Outcome("baseline: unpaced, direct", seen[0] + seen[1], seen[1], 0,
                    fake.calls("messages.send").size(), fake.rateLimitErrors(), 0, tap.seconds(), tap.rate(),
                    verified, tap.wireSpacing());
        }
    }

    /** What the fake's customers see: distinct replies received, extra copies of them, replies never received. */
    private static long[] seenByUsers(VkFake fake, int messages, int users) {
        long distinct = 0;
        long duplicates = 0;
        long missing = 0;
        for (int u = 0; u < users; u++) {
            Map<String, Integer> copies = new HashMap<>();
            for (VkFake.Delivered d : fake.messagesTo(user(u))) {
                copies.merge(d.text(), 1, Integer::sum);
            }
            for (int reply = u; reply < messages; reply += users) {
                int n = copies.getOrDefault(text(reply), 0);
                if (n == 0) {
                    missing++;
                } else {
                    distinct++;
                    duplicates += n - 1;
                }
            }
        }
        return new long[] {distinct, duplicates, missing};
    }

    private static String text(int reply) {
        return "Reply " + reply;
    }

    private static String user(int u) {
        return Long.toString(FIRST_USER + u);
    }

    /** One customer message per user, so each has a conversation to reply in; returns them in user order. */
    private static List<ConversationId> seed(Inbox inbox, int users) throws Exception {
        var sink = inbox.sink(TENANT, VK);
        for (int i = 0; i < users; i++) {
            sink.deliver(InboundEvent.MessageReceived.of("seed-" + i, ChannelAccount.of(TENANT, VK, user(i),
                    Profile.EMPTY), Instant.now(), "in-" + i, Content.text("Hello from user " + i)))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        Map<String, ConversationId> byUser = new HashMap<>();
        for (Conversation c : inbox.conversations(ConversationQuery.all(TENANT, users + 10)).items()) {
            byUser.put(inbox.messages(TENANT, c.id()).get(0).account().platformUserId(), c.id());
        }
        List<ConversationId> ordered = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            ordered.add(byUser.get(user(i)));
        }
        return ordered;
    }
}
