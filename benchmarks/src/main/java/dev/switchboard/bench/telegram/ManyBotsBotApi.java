package dev.switchboard.bench.telegram;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.channel.telegram.testing.TelegramFake;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The published {@link TelegramFake} configured for many bots at once, run in its own JVM by
 * {@link ManyBotsPollingHarness} so that the node under test is measured alone. Bot {@code i} has the token
 * {@code <i+1>:<secret>}; polls are held open up to 25 s, as the harness's channels ask. While injecting, it pushes
 * text updates at a fixed rate spread uniformly over the bots (fixed seed), each stamped with its creation time so the
 * harness can measure update-to-commit latency.
 *
 * <p>Control on stdin, one command a line: {@code rate <updates/s>}, {@code stats}, {@code quit}. It prints
 * {@code PORT <port>} when ready and {@code STATS <open polls> <injected> <confirmed>} on request.
 */
public final class ManyBotsBotApi {
    static final String SECRET = "benchSecretForManyBots_0123456789abcdef";

    private final TelegramFake fake;
    private final String[] tokens;
    private final AtomicLong injected = new AtomicLong();
    private volatile double rate;

    private ManyBotsBotApi(int count) {
        tokens = new String[count];
        TelegramFake.Builder builder = TelegramFake.builder().longPollCap(Duration.ofSeconds(25));
        for (int i = 0; i < count; i++) {
            tokens[i] = (i + 1) + ":" + SECRET;
            builder.token(tokens[i]);
        }
        fake = builder.build();
    }

    public static void main(String[] args) throws Exception {
        ManyBotsBotApi api = new ManyBotsBotApi(Integer.parseInt(args[0]));
        Thread injector = new Thread(api::inject, "injector");
        injector.setDaemon(true);
        injector.start();
        System.out.println("PORT " + URI.create(api.fake.url()).getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("rate ")) {
                api.rate = Double.parseDouble(line.substring(5).trim());
            } else if (line.equals("stats")) {
                long injected = api.injected.get();
                System.out.println("STATS " + api.fake.openPolls() + " " + injected + " "
                        + (injected - api.fake.pendingUpdateCount()));
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        api.fake.close();
        System.exit(0);
    }

    /** Pushes updates at {@link #rate}, evenly spaced, to uniformly random bots. */
    private void inject() {
        Random random = new Random(42);
        long next = System.nanoTime();
        while (true) {
            double r = rate;
            if (r <= 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                next = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            next += (long) (1e9 / r);
            int bot = random.nextInt(tokens.length);
            fake.pushUpdate(tokens[bot], textUpdate(bot + 1, injected.get()));
            injected.incrementAndGet();
        }
    }

    /** A customer's text message stamped with its creation time in epoch microseconds ("bench t<micros>"). */
    private static ObjectNode textUpdate(int botId, long n) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
        long user = 500_000_000L + botId * 10L + (n % 3);
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode message = json.objectNode().put("message_id", n + 1);
        message.set("from", json.objectNode().put("id", user).put("is_bot", false).put("first_name", "Customer"));
        message.set("chat", json.objectNode().put("id", user).put("type", "private"));
        message.put("date", now.getEpochSecond()).put("text", "bench t" + micros);
        ObjectNode update = json.objectNode();
        update.set("message", message);
        return update;
    }
}
