package dev.switchboard.bench.telegram;

import dev.switchboard.channel.Capabilities;
import dev.switchboard.channel.ChannelException;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.SendReceipt;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load harness for the Telegram channel's send path: 2,000 messages to 200 chats against a fake Bot API that enforces
 * Telegram's limits (30 msg/s per bot, 1 msg/s per chat), time-scaled by {@code scale} so a run takes seconds. Two
 * runs on fresh limits: an unpaced baseline (everything at once, showing the fake's flood control answers 429) and a
 * run paced from the channel's declared {@code Capabilities} (aiming at 98% of the declared rate), and a control
 * run paced 5% too fast, which the fake must catch with 429s. Reports achieved rate / allowed rate and 429 counts.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.telegram.TelegramSendRateHarness
 * [messages=2000] [chats=200] [scale=10]}
 */
public final class TelegramSendRateHarness {
    /** The pacer aims at 98% of the declared rate, leaving slack for jitter (see {@link Pacer}). */
    static final double UTILISATION = 0.98;
    private static final String TOKEN = "123456789:AAHbenchTokenBenchTokenBenchToken_00";

    private TelegramSendRateHarness() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int chats = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        double scale = args.length > 2 ? Double.parseDouble(args[2]) : 10;

        Capabilities declared = TelegramChannel.builder().id(ChannelId.of("bench")).botToken(TOKEN)
                .apiBaseUrl("http://127.0.0.1:1/").build().capabilities();
        double globalRate = declared.globalRateLimit().orElseThrow().ratePerSecond() * scale;
        double chatRate = declared.perRecipientRateLimit().orElseThrow().ratePerSecond() * scale;
        // Telegram tolerates short bursts; the fake allows a quarter second's worth of the global rate and 2 per chat.
        // That is tight enough to catch a pacer running 5% too fast over a run (see the control run).
        try (RateLimitedBotApi fake = new RateLimitedBotApi(globalRate, Math.max(3, globalRate * 0.25), chatRate,
                2)) {
            TelegramChannel channel = TelegramChannel.builder().id(ChannelId.of("bench")).botToken(TOKEN)
                    .apiBaseUrl(fake.baseUrl()).build();

            // warm-up (JIT, connections), not counted
            fake.reset();
            Run warm = run(channel, null, Math.min(200, messages), chats);
            fake.reset();
            Run baseline = run(channel, null, messages, chats);
            long baseline429 = fake.rejected429.get();
            fake.reset();
            Run paced = run(channel, new Pacer(declared, scale, UTILISATION), messages, chats);
            long paced429 = fake.rejected429.get();
            fake.reset();
            Run tooFast = run(channel, new Pacer(declared, scale, 1.05), messages, chats);
            long tooFast429 = fake.rejected429.get();

            System.out.printf(Locale.ROOT, "Telegram send rate: %d messages to %d chats, limits scaled x%.1f: "
                    + "%.0f msg/s per bot, %.0f msg/s per chat%n", messages, chats, scale, globalRate, chatRate);
            System.out.printf(Locale.ROOT, "warm-up          : %d sent%n", warm.ok);
            System.out.printf(Locale.ROOT, "baseline unpaced : %d delivered, %d answered 429 in %.2f s%n",
                    baseline.ok, baseline429, baseline.seconds());
            double achieved = paced.ok / paced.seconds();
            System.out.printf(Locale.ROOT, "paced (declared) : %d delivered, %d answered 429, %d other failures in "
                    + "%.2f s = %.1f msg/s = %.1f%% of the allowed %.0f msg/s%n", paced.ok, paced429, paced.failed,
                    paced.seconds(), achieved, 100 * achieved / globalRate, globalRate);
            System.out.printf(Locale.ROOT, "control at 105%%  : %d delivered, %d answered 429 in %.2f s (a pacer "
                    + "that is too fast must be caught)%n", tooFast.ok, tooFast429, tooFast.seconds());
            channel.stop().toCompletableFuture().join();
            boolean pass = paced429 == 0 && paced.failed == 0 && achieved >= 0.95 * globalRate;
            System.out.println(pass ? "RESULT: PASS (>= 95% of allowed rate, zero 429)" : "RESULT: FAIL");
            System.exit(pass ? 0 : 1);
        }
    }

    private record Run(long ok, long failed, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    private static Run run(TelegramChannel channel, Pacer pacer, int messages, int chats) {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<CompletableFuture<SendReceipt>> all = new ArrayList<>(messages);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            String chat = Long.toString(100_000_000L + i % chats);
            if (pacer != null) {
                pacer.acquire(chat);
            }
            OutboundMessage m = OutboundMessage.simple(channel.id(), ChannelAccount.of(channel.tenant(),
                    channel.id(), chat, Profile.EMPTY), Bubble.TextBubble.plain("Message " + i));
            all.add(channel.send(m).toCompletableFuture().whenComplete((r, e) -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                if (e == null) {
                    ok.incrementAndGet();
                } else if (!(cause instanceof ChannelException && ((ChannelException) cause).failure().kind()
                        == dev.switchboard.channel.FailureKind.RATE_LIMITED)) {
                    failed.incrementAndGet(); // anything but the 429s the fake counts itself
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                .orTimeout(Duration.ofMinutes(5).toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        return new Run(ok.get(), failed.get(), System.nanoTime() - start);
    }
}
