package dev.switchboard.bench.viber;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.RejectedInput;
import dev.switchboard.channel.WebhookHandler;
import dev.switchboard.channel.WebhookRequest;
import dev.switchboard.channel.WebhookResponse;
import dev.switchboard.channel.viber.ViberChannel;
import dev.switchboard.channel.viber.testing.ViberFake;
import dev.switchboard.model.ChannelId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature verification and mapping of Viber callbacks on one core: {@code bodies} typical {@code message} callbacks
 * (texts of 20-400 characters, Cyrillic and Latin, some with tracking data, seeded), signed as Viber signs them, are
 * handed to the channel's webhook one after another on one thread (verify {@code X-Viber-Content-Signature} over the
 * raw bytes, parse, map to an {@code InboundEvent}, hand to a sink that completes at once, answer 200). The baseline,
 * in the same run and on the same bodies: a bare {@link Mac} computing HMAC-SHA256 of each body (initialised once),
 * the floor any verification costs. Rounds alternate between the two after a warm-up; a round of the channel counts
 * only when every callback was answered 200 and reached the sink as its own event. Reports callbacks per second of
 * each and their ratio (target: the channel at least 50 % of the bare rate).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.viber.ViberCallbackHarness
 * [bodies=20000] [rounds=5] [seed=21]}
 */
public final class ViberCallbackHarness {
    private ViberCallbackHarness() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 21;
        List<byte[]> bodies = bodies(count, seed);
        long bytes = bodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf(Locale.ROOT, "Viber callbacks: %d message bodies (avg %d bytes), one thread, %d rounds%n",
                count, bytes / count, rounds);

        ViberChannel channel = ViberChannel.builder().id(ChannelId.of("viber")).authToken(ViberFake.TOKEN)
                .senderName("Bench").apiBaseUrl("http://127.0.0.1:9/pa").build();
        AtomicLong delivered = new AtomicLong();
        Set<String> ids = new HashSet<>();
        InboundSink sink = new InboundSink() {
            @Override
            public CompletionStage<Void> deliver(InboundEvent event) {
                delivered.incrementAndGet();
                ids.add(event.eventId());
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> reject(RejectedInput input) {
                throw new IllegalStateException("a benchmark body was quarantined: " + input.reason());
            }
        };
        // the start's get_account_info fails at once (nothing listens on port 9): health only, receiving works
        channel.start(sink).toCompletableFuture().get(30, TimeUnit.SECONDS);
        WebhookHandler webhook = channel.webhook().orElseThrow();
        HexFormat hex = HexFormat.of();
        Mac signer = mac();
        List<WebhookRequest> requests = new ArrayList<>(count);
        for (byte[] body : bodies) {
            requests.add(WebhookRequest.post(webhook.path(), Map.of("Content-Type", List.of("application/json"),
                    "X-Viber-Content-Signature", List.of(hex.formatHex(signer.doFinal(body)))), body));
        }

        double bestChannel = 0;
        double bestBare = 0;
        List<String> lines = new ArrayList<>();
        for (int r = -2; r < rounds; r++) {
            delivered.set(0);
            ids.clear();
            long t0 = System.nanoTime();
            int ok = 0;
            for (WebhookRequest request : requests) {
                WebhookResponse response = webhook.handle(request).toCompletableFuture().join();
                if (response.status() == 200) {
                    ok++;
                }
            }
            double channelRate = count / ((System.nanoTime() - t0) / 1e9);
            boolean verified = ok == count && delivered.get() == count && ids.size() == count;
            Mac mac = mac();
            long t1 = System.nanoTime();
            long sinkhole = 0;
            for (byte[] body : bodies) {
                sinkhole += mac.doFinal(body)[0];
            }
            double bareRate = count / ((System.nanoTime() - t1) / 1e9);
            if (r < 0) {
                continue; // warm-up
            }
            if (!verified) {
                throw new IllegalStateException("round " + r + ": " + ok + " answered 200, " + delivered.get()
                        + " delivered, " + ids.size() + " distinct ids of " + count);
            }
            bestChannel = Math.max(bestChannel, channelRate);
            bestBare = Math.max(bestBare, bareRate);
            lines.add(String.format(Locale.ROOT, "round %d: channel %,.0f callbacks/s, bare Mac %,.0f bodies/s, "
                    + "ratio %.2f (%d)", r + 1, channelRate, bareRate, channelRate / bareRate, sinkhole & 1));
        }
        lines.forEach(System.out::println);
        double ratio = bestChannel / bestBare;
        System.out.printf(Locale.ROOT, "RESULT: best channel %,.0f callbacks/s vs bare Mac %,.0f/s = %.1f%% (target "
                + ">= 50%%): %s; every callback verified, answered 200 and delivered once%n", bestChannel, bestBare,
                100 * ratio, ratio >= 0.5 ? "PASS" : "FAIL");
        channel.stop();
        System.exit(ratio >= 0.5 ? 0 : 1);
    }

    private static Mac mac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ViberFake.TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
    }

    /** Typical message callbacks as Viber sends them, with distinct tokens. */
    static List<byte[]> bodies(int count, long seed) {
        Random random = new Random(seed);
        String[] words = {"Здравствуйте", "заказ", "доставка", "когда", "привезут", "order", "status", "please",
            "спасибо", "самовар", "адрес", "оплата", "hello", "номер", "42", "завтра"};
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int length = 20 + random.nextInt(380);
            while (text.length() < length) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            String user = "user" + random.nextInt(5000) + "AbCdEf==";
            String tracking = random.nextInt(3) == 0 ? ",\"tracking_data\":\"" + i + ":0\"" : "";
            String json = "{\"event\":\"message\",\"timestamp\":" + (1_765_000_000_000L + i) + ",\"chat_hostname\":"
                    + "\"SN-CHAT-05_\",\"message_token\":" + (5_000_000_000_000_000_000L + i) + ",\"sender\":{\"id\":\""
                    + user + "\",\"name\":\"Customer " + (i % 97) + "\",\"avatar\":\"https://media-direct.cdn.viber"
                    + ".com/download_photo?dlid=abc\",\"language\":\"ru\",\"country\":\"RU\",\"api_version\":10},"
                    + "\"message\":{\"type\":\"text\",\"text\":\"" + text.toString().strip() + "\"" + tracking
                    + "},\"silent\":false}";
            out.add(json.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
