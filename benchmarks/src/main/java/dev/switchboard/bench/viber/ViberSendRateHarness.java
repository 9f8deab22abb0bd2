package dev.switchboard.bench.viber;

import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.DeliveryStatus;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Send rate of the Viber channel as a host uses it: {@code messages} replies through {@link Inbox#reply} and the
 * transactional outbox (in-memory store, default outbox settings, the outbox's own pacing to the rate the channel
 * declares), sent by a real {@link ViberChannel} to the published {@link ViberFake}, which allows at most {@code rate}
 * {@code send_message} calls in any one-second window and answers more with status 12. The {@code users} customers
 * first write to the bot through its webhook (signed callbacks), so they are subscribed and inside the 24-hour window,
 * and each gets at most 100 replies (Viber's hourly rule). The rate is taken between the first and the last accepted
 * {@code send_message} and reported against {@code rate}, with the status 12 count; it counts only once every reply
 * reached the fake's customer exactly once and the inbox holds every reply SENT with nothing pending.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.viber.ViberSendRateHarness
 * [messages=2000] [users=200] [rate=20]}
 */
public final class ViberSendRateHarness {
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final ChannelId VIBER = ChannelId.of("viber");
    private static final int AGENTS = 8;

    private ViberSendRateHarness() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (messages > users * ViberFake.UNANSWERED_PER_HOUR) {
            throw new IllegalArgumentException("at most 100 replies per user: use more users");
        }
        System.out.printf(Locale.ROOT, "Viber replies through Inbox.reply and the outbox (in-memory store): %d replies "
                + "to %d users, fake limit %d send_message/s%n", messages, users, rate);
        Tap tap = new Tap();
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(64);
        dispatcher.setMaxRequestsPerHost(64);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).addNetworkInterceptor(tap)
                .readTimeout(Duration.ofSeconds(30)).build();
        try (ViberFake fake = new ViberFake().requestsPerSecond(rate)) {
            ViberChannel viber = ViberChannel.builder().id(VIBER).tenant(TENANT).authToken(ViberFake.TOKEN)
                    .senderName("Bench").apiBaseUrl(fake.apiBaseUrl()).requestsPerSecond(rate).httpClient(http)
                    .build();
            fake.pushTo(viber.webhook().orElseThrow());
            InMemoryInboxStore store = new InMemoryInboxStore();
            Inbox inbox = Inbox.builder().store(store).nodeId("node-1").channel(viber).build();
            try {
                inbox.start();
                List<ConversationId> conversations = seed(inbox, fake, users);
                int refusedBefore = fake.tooManyRequests();
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
                while (fake.delivered().size() < messages && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long storedSent = 0;
                for (int attempt = 0; attempt < 600; attempt++) {
                    storedSent = replies.stream().filter(m -> inbox.message(TENANT, m.id()).map(Message::status)
                            .orElse(DeliveryStatus.FAILED) == DeliveryStatus.SENT).count();
                    if (storedSent == messages && inbox.pendingOutboxCount() == 0) {
                        break;
                    }
                    Thread.sleep(50);
                }
                Set<String> seen = new HashSet<>();
                long duplicates = 0;
                for (ViberFake.Delivered d : fake.delivered()) {
                    if (!seen.add(d.receiver() + "|" + d.text())) {
                        duplicates++;
                    }
                }
                boolean verified = seen.size() == messages && duplicates == 0 && storedSent == messages
                        && inbox.pendingOutboxCount() == 0;
                int refused = fake.tooManyRequests() - refusedBefore;
                double achieved = tap.rate();
                System.out.printf(Locale.ROOT, "paced (outbox): %d delivered, %d duplicates, %d stored SENT, %d "
                        + "status 12, %.2f s = %.2f msg/s = %.1f%% of the allowed %d/s%s%n", seen.size(), duplicates,
                        storedSent, refused, tap.seconds(), achieved, 100 * achieved / rate, rate,
                        verified ? "" : "  NOT VERIFIED");
                boolean pass = verified && refused == 0 && achieved >= 0.95 * rate;
                System.out.printf(Locale.ROOT, "RESULT: %s (%.1f%% of the allowed rate, %d status 12)%n",
                        pass ? "PASS" : "FAIL", 100 * achieved / rate, refused);
                System.exit(pass ? 0 : 1);
            } finally {
                inbox.close();
                store.close();
            }
        }
    }

    private static String text(int reply) {
        return "Reply " + reply;
    }

    private static String user(int u) {
        return "benchUser" + u + "AbCd==";
    }

    /** Each user writes once through the bot's webhook; returns their conversations in user order. */
    private static List<ConversationId> seed(Inbox inbox, ViberFake fake, int users) throws InterruptedException {
        for (int i = 0; i < users; i++) {
            fake.deliverText(user(i), "User " + i, "Hello from user " + i);
        }
        Map<String, ConversationId> byUser = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (byUser.size() < users && System.nanoTime() < deadline) {
            Thread.sleep(50);
            for (Conversation c : inbox.conversations(ConversationQuery.all(TENANT, users + 10)).items()) {
                byUser.put(inbox.messages(TENANT, c.id()).get(0).account().platformUserId(), c.id());
            }
        }
        List<ConversationId> ordered = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            ordered.add(java.util.Objects.requireNonNull(byUser.get(user(i)), "no conversation for " + user(i)));
        }
        return ordered;
    }

    /** Watches send_message on the wire: when the first and the last accepted call left. */
    private static final class Tap implements Interceptor {
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong accepted = new AtomicLong();

        @Override
        public Response intercept(Chain chain) throws IOException {
            if (!chain.request().url().encodedPath().endsWith("/send_message")) {
                return chain.proceed(chain.request());
            }
            long start = System.nanoTime();
            Response response = chain.proceed(chain.request());
            if (response.peekBody(32).string().startsWith("{\"status\":0")) {
                accepted.incrementAndGet();
                first.accumulateAndGet(start, Math::min);
                last.accumulateAndGet(start, Math::max);
            }
            return response;
        }

        double seconds() {
            return accepted.get() > 1 ? (last.get() - first.get()) / 1e9 : 0;
        }

        double rate() {
            double s = seconds();
            return s > 0 ? (accepted.get() - 1) / s : 0;
        }
    }
}
