package dev.switchboard.bench.webchat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Load harness for the website chat: starts {@link WebchatLoadServer} in a second JVM (so the server heap is measured
 * alone), opens N idle visitor WebSockets against it with the JDK's WebSocket client, measures the server's heap after
 * GC before and after (idle baseline in the same run), then has the server send agent replies at a fixed rate and
 * measures reply-to-visitor-socket latency (a discarded warm-up, a low-rate baseline, then the target rate).
 *
 * <pre>
 * ulimit -n 65536   # each side holds one descriptor per connection
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.webchat.WebchatLoad [connections] [rate] [seconds]
 * </pre>
 */
public final class WebchatLoad {
    private static final String MARK = "\"text\":\"t:";

    private WebchatLoad() {
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String serverHeap = System.getProperty("server.xmx", "1g");

        Process server = new ProcessBuilder(javaBin(), "-Xmx" + serverHeap, "-XX:+UseG1GC", "-cp",
                System.getProperty("java.class.path"), WebchatLoadServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader from = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter to = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8);
        try {
            int port = Integer.parseInt(from.readLine().split(" ")[1]);
            System.out.printf(Locale.ROOT, "server pid %d on port %d, -Xmx%s; %d connections, %d msg/s for %d s%n",
                    server.pid(), port, serverHeap, connections, rate, seconds);

            long idleHeap = heap(to, from);
            Path tokensFile = Files.createTempFile("webchat-tokens", ".txt");
            to.println("sessions " + connections + " " + tokensFile);
            from.readLine();
            long sessionsHeap = heap(to, from);
            List<String> tokens = Files.readAllLines(tokensFile);
            Files.delete(tokensFile);

            Recorder recorder = new Recorder(rate * seconds + rate * 2 + 1000);
            HttpClient http = HttpClient.newHttpClient();
            long t0 = System.nanoTime();
            List<WebSocket> sockets = connect(http, port, tokens, recorder);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            await(() -> recorder.ready.get() >= connections, Duration.ofSeconds(60));
            String[] after = heapLine(to, from);
            long connectedHeap = Long.parseLong(after[1]);

            System.out.printf(Locale.ROOT, "connected %d sockets in %.1f s (server reports %s streams)%n",
                    sockets.size(), connectSeconds, after[3]);
            System.out.printf(Locale.ROOT, "server heap after GC: idle %s, with %d sessions %s, with %d connected %s%n",
                    mib(idleHeap), connections, mib(sessionsHeap), connections, mib(connectedHeap));
            System.out.printf(Locale.ROOT, "per connection (sessions + sockets): %.1f KiB; per socket alone: %.1f KiB%n",
                    (connectedHeap - idleHeap) / 1024.0 / connections,
                    (connectedHeap - sessionsHeap) / 1024.0 / connections);

            // Warm-up at the target rate (JIT, buffer pools) so the baseline is not a cold-start measurement.
            Stats warmup = measure(to, from, recorder, rate, 3, connections);
            System.out.println("  (warm-up " + rate + " msg/s, discarded: " + warmup + ")");
            int baselineRate = Math.max(10, rate / 10);
            Stats baseline = measure(to, from, recorder, baselineRate, Math.max(2, seconds / 2), connections);
            Stats target = measure(to, from, recorder, rate, seconds, connections);
            System.out.println("latency agent reply -> visitor socket, ms:");
            System.out.println("  baseline " + baselineRate + " msg/s: " + baseline);
            System.out.println("  target   " + rate + " msg/s: " + target);
            System.out.printf(Locale.ROOT, "  p99 ratio target/baseline: %.2f%n", target.p99 / Math.max(0.001,
                    baseline.p99));
            for (WebSocket ws : sockets) {
                ws.abort();
            }
            to.println("quit");
            from.readLine();
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<WebSocket> connect(HttpClient http, int port, List<String> tokens, Recorder recorder) {
        List<WebSocket> sockets = new ArrayList<>(tokens.size());
        int batch = 200;
        for (int i = 0; i < tokens.size(); i += batch) {
            List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
            for (int j = i; j < Math.min(tokens.size(), i + batch); j++) {
                URI uri = URI.create("ws://127.0.0.1:" + port + "/webchat/ws?token=" + tokens.get(j) + "&after=0");
                pending.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                        .buildAsync(uri, new Visitor(recorder)));
            }
            for (CompletableFuture<WebSocket> f : pending) {
                sockets.add(f.join());
            }
        }
        return sockets;
    }

    private static Stats measure(PrintWriter to, BufferedReader from, Recorder recorder, int rate, int seconds,
                                 int targets) throws Exception {
        recorder.reset();
        long expected = (long) rate * seconds;
        to.println("send " + rate + " " + seconds + " " + targets);
        String sent = from.readLine();
        await(() -> recorder.count.get() >= expected, Duration.ofSeconds(30));
        Stats s = recorder.stats();
        s.sentLine = sent;
        return s;
    }

    private static long heap(PrintWriter to, BufferedReader from) throws Exception {
        return Long.parseLong(heapLine(to, from)[1]);
    }

    private static String[] heapLine(PrintWriter to, BufferedReader from) throws Exception {
        to.println("heap");
        return from.readLine().split(" ");
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                System.out.println("WARNING: condition not reached within " + max);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** Turns logback (if it is the SLF4J backend) down to WARN so the harness measures work, not logging. */
    static void quietLogging() {
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Collects latencies (micros) of measurement frames from every visitor socket. */
    static final class Recorder {
        final AtomicInteger ready = new AtomicInteger();
        final AtomicInteger count = new AtomicInteger();
        final long[] micros;

        Recorder(int capacity) {
            micros = new long[capacity];
        }

        void reset() {
            count.set(0);
        }

        void record(long latencyMicros) {
            int i = count.getAndIncrement();
            if (i < micros.length) {
                micros[i] = latencyMicros;
            }
        }

        Stats stats() {
            int n = Math.min(count.get(), micros.length);
            long[] sorted = Arrays.copyOf(micros, n);
            Arrays.sort(sorted);
            return new Stats(n, pct(sorted, 50), pct(sorted, 99), pct(sorted, 99.9), n == 0 ? 0 : sorted[n - 1] / 1000.0);
        }

        private static double pct(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1000.0;
        }
    }

    /** Latency percentiles in milliseconds. */
    static final class Stats {
        final int n;
        final double p50;
        final double p99;
        final double p999;
        final double max;
        String sentLine = "";

        Stats(int n, double p50, double p99, double p999, double max) {
            this.n = n;
            this.p50 = p50;
            this.p99 = p99;
            this.p999 = p999;
            this.max = max;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d p50=%.2f p99=%.2f p99.9=%.2f max=%.2f (server: %s)", n, p50, p99,
                    p999, max, sentLine);
        }
    }

    /** One idle visitor: counts its ready frame and timestamps measurement replies on arrival. */
    static final class Visitor implements WebSocket.Listener {
        private final Recorder recorder;
        private final StringBuilder partial = new StringBuilder();

        Visitor(Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            Instant now = Instant.now();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                int at = frame.indexOf(MARK);
                if (at >= 0) {
                    int start = at + MARK.length();
                    int end = frame.indexOf('"', start);
                    long sentMicros = Long.parseLong(frame.substring(start, end));
                    long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                    recorder.record(nowMicros - sentMicros);
                } else if (frame.contains("\"type\":\"ready\"")) {
                    recorder.ready.incrementAndGet();
                }
            }
            ws.request(1);
            return null;
        }
    }

}
