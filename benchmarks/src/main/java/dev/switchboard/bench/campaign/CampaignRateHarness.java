package dev.switchboard.bench.campaign;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import dev.switchboard.channel.vk.VkChannel;
import dev.switchboard.channel.vk.testing.VkFake;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.ReplyOptions;
import dev.switchboard.inbox.TenantInbox;
import dev.switchboard.inbox.campaign.Audience;
import dev.switchboard.inbox.campaign.Campaign;
import dev.switchboard.inbox.campaign.CampaignId;
import dev.switchboard.inbox.campaign.CampaignProgress;
import dev.switchboard.inbox.campaign.CampaignSettings;
import dev.switchboard.inbox.campaign.RecipientStatus;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Conversation;
import dev.switchboard.model.ConversationId;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Profile;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.ConversationQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A campaign over Telegram and VK fakes that enforce the platforms' limits (Telegram: 30 msg/s per bot, 1/s per chat,
 * 429 with retry-after; VK: 20 calls/s per token, error 6), sent by the real channels through the inbox's outbox
 * (in-memory store), while agents keep replying to other customers on both channels. Two phases on one inbox:
 * <ol>
 *   <li><b>idle</b>: replies only (one every {@code replyEveryMs}, alternating channels), the baseline latency;</li>
 *   <li><b>campaign</b>: a campaign to {@code customers} consenting customers (split 3:2 between Telegram and VK,
 *   as their rates are) with the same
 *   replies going on.</li>
 * </ol>
 * A reply's latency is from {@code TenantInbox.reply} returning to the fake accepting it. The campaign's rate is every
 * accepted send (campaign and replies) between the first and the last campaign send, against the combined allowed
 * 50 msg/s, and each channel's rate over its own campaign window; it counts only once the campaign's progress says
 * every recipient SENT, the channels accepted one campaign message per recipient, and the fakes' own records hold
 * exactly one campaign message for each recipient and none more. Each phase ends once the fakes accepted all its
 * replies (waited for, not slept). Rate-limit errors are the fakes' own counts (429s, error 6).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.campaign.CampaignRateHarness
 * [customers=3000] [replyEveryMs=250] [idleSeconds=15]} (100,000 customers take 2,000 s at 50 msg/s).
 */
public final class CampaignRateHarness {
    private static final TenantId TENANT = TenantId.DEFAULT;
    private static final String TOKEN = "123456789:AAHbenchTokenBenchTokenBenchToken_00";
    private static final ChannelId TG = ChannelId.of("telegram");
    private static final ChannelId VK = ChannelId.of("vk");
    private static final int CONVERSATIONAL = 20;
    private static final double ALLOWED = 30 + 20;
    private static final String CAMPAIGN_TEXT = "Spring sale: 20% off until Sunday.";

    private CampaignRateHarness() {
    }

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long replyEveryMs = args.length > 1 ? Long.parseLong(args[1]) : 250;
        int idleSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        System.out.printf(Locale.ROOT, "Campaign to %d customers over Telegram (30/s) and VK (20/s) fakes, replies"
                + " every %d ms alternating channels; in-memory store%n", customers, replyEveryMs);
        try (TelegramFake tgFake = TelegramFake.builder().token(TOKEN).globalRateLimit(30, 7.5)
                .perChatRateLimit(1, 2).build();
             VkFake vkFake = new VkFake().requestsPerSecond(20)) {
            TimedChannel telegram = new TimedChannel(TelegramChannel.builder().id(TG).tenant(TENANT).botToken(TOKEN)
                    .apiBaseUrl(tgFake.url()).build());
            TimedChannel vk = new TimedChannel(VkChannel.builder().id(VK).tenant(TENANT).groupId(VkFake.GROUP_ID)
                    .accessToken(VkFake.TOKEN).apiBaseUrl(vkFake.apiBaseUrl())
                    .callback(VkFake.SECRET, VkFake.CONFIRMATION).requestsPerSecond(20).build());
            Inbox inbox = Inbox.builder().store(new InMemoryInboxStore()).channel(telegram).channel(vk)
                    .outbox(OutboxSettings.builder().workers(Integer.getInteger("outbox.workers", 16)).build())
                    .campaigns(CampaignSettings.builder().inFlightPerChannel(Integer.getInteger("inFlight", 4))
                            .interval(Duration.ofMillis(20)).build())
                    .build();
            inbox.start();
            try {
                run(inbox, telegram, vk, tgFake, vkFake, customers, replyEveryMs, idleSeconds);
            } finally {
                inbox.close();
            }
        }
    }

    private static void run(Inbox inbox, TimedChannel telegram, TimedChannel vk, TelegramFake tgFake, VkFake vkFake,
                            int customers, long replyEveryMs, int idleSeconds) throws Exception {
        TenantInbox shop = inbox.forTenant(TENANT);
        long t0 = System.nanoTime();
        List<CustomerId> audience = new ArrayList<>();
        // split as the rates are (3:2), so neither channel idles while the other still has recipients
        int onTelegram = (int) Math.round(customers * 30 / ALLOWED);
        audience.addAll(seed(inbox, TG, 500_000_000L, onTelegram, true));
        audience.addAll(seed(inbox, VK, 300_000_001L, customers - onTelegram, true));
        seed(inbox, TG, 700_000_000L, CONVERSATIONAL, false);
        seed(inbox, VK, 800_000_001L, CONVERSATIONAL, false);
        List<ConversationId> conversations = conversationsOf(inbox);
        System.out.printf(Locale.ROOT, "seeded %d customers in %.1f s%n", customers + 2 * CONVERSATIONAL,
                (System.nanoTime() - t0) / 1e9);
        Thread.sleep(1100); // VK's one-second window forgets the seeding
        int tg429Before = tgFake.rateLimitedSends();
        int vkErrorsBefore = vkFake.rateLimitErrors();

        // warm-up (connections, JIT), not measured
        new Replier(shop, conversations, replyEveryMs).runFor(Duration.ofSeconds(5), telegram, vk);
        telegram.clear();
        vk.clear();
        Replier idle = new Replier(shop, conversations, replyEveryMs);
        idle.runFor(Duration.ofSeconds(idleSeconds), telegram, vk);
        List<Double> idleLatency = idle.latencies(telegram, vk);

        CampaignId id = CampaignId.of("bench");
        shop.campaigns().create(Campaign.builder(id).content(Content.text(CAMPAIGN_TEXT))
                .purpose("marketing").audience(Audience.customers(audience)).build());
        telegram.clear();
        vk.clear();
        Replier busy = new Replier(shop, conversations, replyEveryMs);
        shop.campaigns().start(id);
        busy.runUntil(() -> shop.campaigns().progress(id).remaining() == 0, Duration.ofHours(2));
        CampaignProgress progress = shop.campaigns().progress(id);
        List<Double> busyLatency = busy.latencies(telegram, vk);

        List<TimedChannel.Accepted> all = Stream.concat(telegram.accepted().stream(), vk.accepted().stream())
                .toList();
        long firstCampaign = all.stream().filter(TimedChannel.Accepted::marketing)
                .mapToLong(TimedChannel.Accepted::acceptedNanos).min().orElse(0);
        long lastCampaign = all.stream().filter(TimedChannel.Accepted::marketing)
                .mapToLong(TimedChannel.Accepted::acceptedNanos).max().orElse(0);
        long inWindow = all.stream().filter(a -> a.acceptedNanos() >= firstCampaign
                && a.acceptedNanos() <= lastCampaign).count();
        long campaignSends = all.stream().filter(TimedChannel.Accepted::marketing).count();
        long distinctCampaign = all.stream().filter(TimedChannel.Accepted::marketing)
                .map(TimedChannel.Accepted::idempotencyKey).distinct().count();
        double seconds = (lastCampaign - firstCampaign) / 1e9;
        double rate = (inWindow - 1) / seconds;
        int rateLimitErrors = tgFake.rateLimitedSends() - tg429Before + vkFake.rateLimitErrors() - vkErrorsBefore;
        // what the platforms hold: each audience member got the campaign's text exactly once, nobody else got it
        Map<String, Long> received = new java.util.HashMap<>();
        Stream.concat(tgFake.sent().stream().filter(m -> m.text().contains(CAMPAIGN_TEXT))
                        .map(m -> "tg:" + m.recipient()),
                vkFake.sent().stream().filter(m -> m.text().contains(CAMPAIGN_TEXT)).map(m -> "vk:" + m.recipient()))
                .forEach(k -> received.merge(k, 1L, Long::sum));
        long exactlyOnce = 0;
        for (int i = 0; i < onTelegram; i++) {
            exactlyOnce += received.getOrDefault("tg:" + (500_000_000L + i), 0L) == 1 ? 1 : 0;
        }
        for (int i = 0; i < customers - onTelegram; i++) {
            exactlyOnce += received.getOrDefault("vk:" + (300_000_001L + i), 0L) == 1 ? 1 : 0;
        }
        long onPlatforms = received.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "platform fakes: %d campaign messages held, %d of %d recipients got exactly "
                + "one%n", onPlatforms, exactlyOnce, customers);
        boolean verified = progress.count(RecipientStatus.SENT) == customers && campaignSends == customers
                && distinctCampaign == customers && exactlyOnce == customers && onPlatforms == customers;

        double busyRate = 0;
        for (TimedChannel c : List.of(telegram, vk)) {
            List<TimedChannel.Accepted> sends = c.accepted().stream().filter(a -> a.acceptedNanos() >= firstCampaign
                    && a.acceptedNanos() <= lastCampaign).toList();
            // the channel's own campaign window: while it still had recipients (one channel may finish first)
            long first = c.accepted().stream().filter(TimedChannel.Accepted::marketing)
                    .mapToLong(TimedChannel.Accepted::acceptedNanos).min().orElse(0);
            long last = c.accepted().stream().filter(TimedChannel.Accepted::marketing)
                    .mapToLong(TimedChannel.Accepted::acceptedNanos).max().orElse(0);
            long own = c.accepted().stream().filter(a -> a.acceptedNanos() >= first && a.acceptedNanos() <= last)
                    .count();
            double ownRate = (own - 1) / ((last - first) / 1e9);
            // where the time went: gaps between consecutive accepted sends longer than 100 ms (the channel idled)
            long[] times = c.accepted().stream().mapToLong(TimedChannel.Accepted::acceptedNanos)
                    .filter(t -> t >= first && t <= last).sorted().toArray();
            long longGaps = 0;
            long longGapNanos = 0;
            for (int i = 1; i < times.length; i++) {
                if (times[i] - times[i - 1] > 100_000_000L) {
                    longGaps++;
                    longGapNanos += times[i] - times[i - 1];
                }
            }
            System.out.printf(Locale.ROOT, "  %s: %d gaps over 100 ms between accepted sends, %.2f s in all%n", c.id(),
                    longGaps, longGapNanos / 1e9);
            busyRate += ownRate;
            System.out.printf(Locale.ROOT, "  %s: %d sends in the window = %.1f msg/s; %d sends in %.2f s while it had "
                    + "recipients = %.1f msg/s%n", c.id(), sends.size(), sends.size() / seconds, own,
                    (last - first) / 1e9, ownRate);
        }
        System.out.printf(Locale.ROOT, "sum of the channels' rates while each had recipients: %.1f msg/s = %.1f%% of "
                + "the allowed %.0f msg/s%n", busyRate, 100 * busyRate / ALLOWED, ALLOWED);
        double idleP99 = percentile(idleLatency, 0.99);
        double busyP99 = percentile(busyLatency, 0.99);
        System.out.printf(Locale.ROOT, "campaign: %d recipients SENT (progress), %d campaign sends accepted (%d "
                + "distinct), %s%n", progress.count(RecipientStatus.SENT), campaignSends, distinctCampaign,
                verified ? "verified" : "NOT VERIFIED");
        System.out.printf(Locale.ROOT, "combined rate: %d sends (campaign and replies) in %.2f s = %.1f msg/s = %.1f%% "
                + "of the allowed %.0f msg/s; %d rate-limit errors (Telegram 429 + VK error 6)%n", inWindow, seconds,
                rate, 100 * rate / ALLOWED, ALLOWED, rateLimitErrors);
        System.out.printf(Locale.ROOT, "reply latency idle: %d replies, p50 %.1f ms, p99 %.1f ms%n",
                idleLatency.size(), percentile(idleLatency, 0.5), idleP99);
        System.out.printf(Locale.ROOT, "reply latency during the campaign: %d replies, p50 %.1f ms, p99 %.1f ms "
                + "(%.2fx idle)%n", busyLatency.size(), percentile(busyLatency, 0.5), busyP99, busyP99 / idleP99);
        List<Double> inOutbox = busy.split(true, telegram, vk);
        List<Double> inChannel = busy.split(false, telegram, vk);
        System.out.printf(Locale.ROOT, "  of which in the outbox (reply to channel call): p50 %.1f ms, p99 %.1f ms; in "
                + "the channel (call to accepted): p50 %.1f ms, p99 %.1f ms%n", percentile(inOutbox, 0.5),
                percentile(inOutbox, 0.99), percentile(inChannel, 0.5), percentile(inChannel, 0.99));
        for (TimedChannel c : List.of(telegram, vk)) {
            List<Double> own = busy.split(true, c);
            List<Double> wire = busy.split(false, c);
            for (int i = 0; i < own.size(); i++) {
                own.set(i, own.get(i) + wire.get(i));
            }
            System.out.printf(Locale.ROOT, "  %s replies during the campaign: p50 %.1f ms, p99 %.1f ms%n", c.id(),
                    percentile(own, 0.5), percentile(own, 0.99));
        }
        for (TimedChannel c : List.of(telegram, vk)) {
            List<Double> rtt = c.accepted().stream().filter(TimedChannel.Accepted::marketing)
                    .map(a -> (a.acceptedNanos() - a.calledNanos()) / 1e6).toList();
            System.out.printf(Locale.ROOT, "  %s campaign sends, channel call to accepted: p50 %.1f ms, p99 %.1f ms%n",
                    c.id(), percentile(rtt, 0.5), percentile(rtt, 0.99));
        }
        List<Double> worst = busyLatency.stream().sorted(java.util.Comparator.reverseOrder()).limit(5).toList();
        System.out.printf(Locale.ROOT, "reply latency during the campaign: p90 %.1f ms, p95 %.1f ms, worst %s ms%n",
                percentile(busyLatency, 0.9), percentile(busyLatency, 0.95), worst.stream()
                        .map(d -> String.format(Locale.ROOT, "%.1f", d)).toList());
        boolean pass = verified && rateLimitErrors == 0 && rate >= 0.95 * ALLOWED && busyP99 <= 2 * idleP99;
        System.out.println("RESULT: " + (pass ? "PASS" : "FAIL") + " (>= 95% of the combined rate, zero rate-limit "
                + "errors, reply p99 within 2x of idle)");
    }

    private static List<ChannelAccount> accounts(ChannelId channel, long first, int n) {
        List<ChannelAccount> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ChannelAccount.of(TENANT, channel, Long.toString(first + i), Profile.EMPTY));
        }
        return out;
    }

    /** Customers who wrote once; the consenting ones granted "marketing". */
    private static List<CustomerId> seed(Inbox inbox, ChannelId channel, long first, int n, boolean consent)
            throws Exception {
        InboundSink sink = inbox.sink(TENANT, channel);
        List<CustomerId> ids = new ArrayList<>();
        for (ChannelAccount a : accounts(channel, first, n)) {
            sink.deliver(InboundEvent.MessageReceived.of("seed-" + channel + "-" + a.platformUserId(), a,
                    Instant.now(), "in-" + a.platformUserId(), Content.text("Hello")))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            CustomerId id = inbox.customerByAccount(a.key()).orElseThrow().id();
            if (consent) {
                inbox.updatePreferences(TENANT, id, p -> p.withConsent("marketing", true, "web form",
                        Instant.now()));
            }
            ids.add(id);
        }
        return ids;
    }

    /** The conversational customers' conversations (the newest ones), Telegram ones first, then VK ones. */
    private static List<ConversationId> conversationsOf(Inbox inbox) {
        List<Conversation> newest = inbox.conversations(ConversationQuery.all(TENANT, 2 * CONVERSATIONAL)).items();
        List<ConversationId> out = new ArrayList<>();
        newest.stream().filter(c -> c.channel().orElseThrow().equals(TG)).forEach(c -> out.add(c.id()));
        newest.stream().filter(c -> c.channel().orElseThrow().equals(VK)).forEach(c -> out.add(c.id()));
        if (out.size() != 2 * CONVERSATIONAL) {
            throw new IllegalStateException("expected " + 2 * CONVERSATIONAL + " conversations, found " + out.size());
        }
        return out;
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** Agents replying on a fixed schedule; remembers when each reply was queued, by its text. */
    private static final class Replier {
        private final TenantInbox shop;
        private final List<ConversationId> conversations;
        private final long everyNanos;
        private final Map<String, Long> queuedAt = new ConcurrentHashMap<>();
        private int n;

        Replier(TenantInbox shop, List<ConversationId> conversations, long everyMs) {
            this.shop = shop;
            this.conversations = conversations;
            this.everyNanos = everyMs * 1_000_000L;
        }

        /** Replies for {@code d}, then waits (at most 30 s) until the fakes accepted every one of them. */
        void runFor(Duration d, TimedChannel... channels) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            runUntil(() -> System.nanoTime() >= end, d.plusSeconds(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (accepted(channels) < queuedAt.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + accepted(channels) + " of " + queuedAt.size()
                            + " replies were accepted within 30 s");
                }
                Thread.sleep(10);
            }
        }

        /** How many of this replier's replies the channels accepted. */
        private long accepted(TimedChannel... channels) {
            long n = 0;
            for (TimedChannel c : channels) {
                n += c.accepted().stream().filter(a -> queuedAt.containsKey(a.text())).count();
            }
            return n;
        }

        void runUntil(java.util.function.BooleanSupplier done, Duration max) throws InterruptedException {
            long start = System.nanoTime();
            long next = start;
            int round = 0;
            while (!done.getAsBoolean() && System.nanoTime() - start < max.toNanos()) {
                long now = System.nanoTime();
                if (now >= next) {
                    // alternate channels: Telegram conversations first in the list, then VK ones
                    int i = (round % 2 == 0 ? 0 : CONVERSATIONAL) + (round / 2) % CONVERSATIONAL;
                    String text = "reply " + System.identityHashCode(this) + "-" + (n++);
                    shop.reply(conversations.get(i), Content.text(text), ReplyOptions.defaults());
                    queuedAt.put(text, System.nanoTime());
                    round++;
                    next += everyNanos;
                } else {
                    Thread.sleep(Math.max(1, (next - now) / 1_000_000L));
                }
            }
        }

        /** The part of each reply's latency before the channel was called ({@code outbox}) or after. */
        List<Double> split(boolean outbox, TimedChannel... channels) {
            List<Double> out = new ArrayList<>();
            for (TimedChannel c : channels) {
                for (TimedChannel.Accepted a : c.accepted()) {
                    Long at = queuedAt.get(a.text());
                    if (at != null) {
                        out.add((outbox ? a.calledNanos() - at : a.acceptedNanos() - a.calledNanos()) / 1e6);
                    }
                }
            }
            return out;
        }

        List<Double> latencies(TimedChannel... channels) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<Double> out = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                out.clear();
                for (TimedChannel c : channels) {
                    for (TimedChannel.Accepted a : c.accepted()) {
                        Long at = queuedAt.get(a.text());
                        if (at != null) {
                            out.add((a.acceptedNanos() - at) / 1e6);
                        }
                    }
                }
                if (out.size() >= queuedAt.size()) {
                    break;
                }
                Thread.sleep(50);
            }
            return out;
        }
    }
}
