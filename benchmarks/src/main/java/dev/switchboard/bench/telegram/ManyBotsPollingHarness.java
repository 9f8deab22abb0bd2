package dev.switchboard.bench.telegram;

import dev.switchboard.bench.email.ManyMailboxes;
import dev.switchboard.channel.telegram.TelegramChannel;
import dev.switchboard.channel.telegram.TelegramTransport;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.inbox.memory.InMemoryInboxStore;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * One node, many tenants, each with a Telegram bot in long polling, the way a host runs them: one {@link Inbox}
 * (in-memory store) with a {@link TelegramChannel} per tenant, started by the inbox's polling supervisor, against
 * {@link ManyBotsBotApi} in a child JVM so that only the node is measured. While the fake creates updates at a fixed
 * rate spread over all bots, the harness records the latency from an update's creation to the inbox listener seeing
 * its committed message, and then reports the node's live threads (peak too), its heap after a full GC, and p50/p99
 * latency. Before reporting it stops the injection and checks that every update the fake created was stored.
 *
 * <p>The first {@code -Dmailboxes} tenants (default 100) also have a mailbox ({@link ManyMailboxes}, on a mail fake in
 * a second child JVM); {@code -DmailRate} (default 10) of the updates per second are then mails instead of Telegram
 * updates, reported apart for IDLE ({@code -DidleMailboxes}, default 32) and polling mailboxes ({@code
 * -DpollInterval} seconds, default 10). {@code -Dmailboxes=0} runs Telegram alone.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.switchboard.bench.telegram.ManyBotsPollingHarness
 * [tenants=1000] [updates/s=200] [measure s=30] [transport=shared|host-okhttp]}. {@code host-okhttp} gives every
 * channel a host OkHttp client, which holds a dispatcher thread per open poll: the thread-per-bot baseline.
 */
public final class ManyBotsPollingHarness {

    private ManyBotsPollingHarness() {
    }

    public static void main(String[] args) throws Exception {
        int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 200;
        int measureSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String transportKind = args.length > 3 ? args[3] : "shared";
        int warmupSeconds = Integer.getInteger("warmup", 10);
        int mailboxes = Math.min(tenants, Integer.getInteger("mailboxes", 100));
        double mailRate = mailboxes == 0 ? 0 : Double.parseDouble(System.getProperty("mailRate", "10"));
        Duration pollInterval = Duration.ofSeconds(Integer.getInteger("pollInterval", 10));
        ManyMailboxes mail = mailboxes == 0 ? null : ManyMailboxes.start(mailboxes,
                Math.min(mailboxes, Integer.getInteger("idleMailboxes", 32)), pollInterval);

        Process fake = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), ManyBotsBotApi.class.getName(),
                Integer.toString(tenants)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fakeOut = new BufferedReader(new InputStreamReader(fake.getInputStream(),
                StandardCharsets.UTF_8));
        PrintWriter fakeIn = new PrintWriter(fake.getOutputStream(), true, StandardCharsets.UTF_8);
        String portLine = fakeOut.readLine();
        if (portLine == null || !portLine.startsWith("PORT ")) {
            throw new IllegalStateException("the fake did not start: " + portLine);
        }
        String base = "http://127.0.0.1:" + portLine.substring(5) + "/";

        OkHttpClient host = null;
        TelegramTransport transport = Integer.getInteger("callbackThreads", 0) > 0
                ? TelegramTransport.builder().callbackThreads(Integer.getInteger("callbackThreads")).build()
                : TelegramTransport.shared();
        if (transportKind.equals("host-okhttp")) {
            Dispatcher d = new Dispatcher();
            d.setMaxRequests(tenants + 64);
            d.setMaxRequestsPerHost(tenants + 64);
            host = new OkHttpClient.Builder().dispatcher(d).build();
            transport = TelegramTransport.using(host);
        }
        ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
        AtomicLong stored = new AtomicLong();
        Inbox.Builder builder = Inbox.builder().store(new InMemoryInboxStore()).nodeId("bench-node")
                .leaseCheckInterval(Duration.ofSeconds(1));
        for (int i = 0; i < tenants; i++) {
            builder.channel(TelegramChannel.builder().id(ChannelId.of("telegram")).tenant(TenantId.of("shop-" + i))
                    .botToken((i + 1) + ":" + ManyBotsBotApi.SECRET).apiBaseUrl(base).transport(transport)
                    .pollTimeout(Duration.ofSeconds(25)).retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .build());
        }
        if (mail != null) {
            mail.addChannels(builder);
        }
        Inbox inbox = builder.build();
        inbox.addListener(event -> {
            if (event.type() != InboxEvent.Type.MESSAGE_RECEIVED || event.message().isEmpty()) {
                return;
            }
            Instant now = Instant.now();
            String text = inbox.message(event.tenant(), event.message().get()).map(Message::content)
                    .map(c -> c.plainText()).orElse("");
            int t = text.indexOf("bench t");
            if (t >= 0) {
                long created = Long.parseLong(text.substring(t + 7).trim());
                latenciesMicros.add(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - created);
                stored.incrementAndGet();
            }
        });
        if (mail != null) {
            mail.listenTo(inbox);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBefore = threads.getThreadCount();
        long startedAt = System.nanoTime();
        inbox.start();
        // wait until every bot holds a poll open at the fake and every mailbox has read its folder
        long open = 0;
        while (open < tenants || mail != null && mail.ready() < mailboxes) {
            open = stats(fakeIn, fakeOut)[0];
            if (System.nanoTime() - startedAt > TimeUnit.MINUTES.toNanos(5)) {
                throw new IllegalStateException("only " + open + " of " + tenants + " bots polling and "
                        + (mail == null ? 0 : mail.ready()) + " of " + mailboxes + " mailboxes read after 5 min");
            }
            Thread.sleep(200); // harness pacing, not a test wait
        }
        double startSeconds = (System.nanoTime() - startedAt) / 1e9;
        threads.resetPeakThreadCount();

        fakeIn.println("rate " + (rate - mailRate));
        if (mail != null) {
            mail.rate(mailRate);
        }
        Thread.sleep(warmupSeconds * 1000L);
        latenciesMicros.clear();
        if (mail != null) {
            mail.clearLatencies();
        }
        Thread.sleep(measureSeconds * 1000L);
        long[] window = latenciesMicros.stream().mapToLong(Long::longValue).toArray();
        long[][] mailWindow = mail == null ? null : mail.latencies();
        String census = ManyMailboxes.threadCensus();
        long idling = mail == null ? 0 : mail.idling();
        int liveThreads = threads.getThreadCount();
        int peakThreads = threads.getPeakThreadCount();
        fakeIn.println("rate 0");
        if (mail != null) {
            mail.rate(0);
        }

        // everything the fake created must be stored before a figure is reported
        long injected = stats(fakeIn, fakeOut)[1];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stored.get() < injected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // a polling mailbox reads its last mails up to a poll interval after they were created
        long mailsInjected = mail == null ? 0 : mail.awaitStored(pollInterval.plusSeconds(60));
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Arrays.sort(window);
        System.out.printf(Locale.ROOT, "tenants=%d transport=%s telegram rate=%.0f/s start=%.1fs threads before start=%d "
                        + "live=%d peak=%d heap after GC=%.0f MiB samples=%d p50=%.1f ms p99=%.1f ms max=%.1f ms "
                        + "stored=%d/%d%n",
                tenants, transportKind, rate - mailRate, startSeconds, threadsBefore, liveThreads, peakThreads,
                heapAfterGc / 1048576.0, window.length, pct(window, 0.50), pct(window, 0.99),
                window.length == 0 ? 0 : window[window.length - 1] / 1000.0, stored.get(), injected);
        if (stored.get() < injected) {
            System.out.println("INCOMPLETE: not every created update was stored");
        }
        boolean mailComplete = mail == null || mail.stored() >= mailsInjected;
        if (mail != null) {
            System.out.printf(Locale.ROOT, "mail rate=%.0f/s %s; idling at the end of the window=%d%n", mailRate,
                    mail.report(mailWindow, mailsInjected), idling);
            if (!mailComplete) {
                System.out.println("INCOMPLETE: not every created mail was stored");
            }
        }
        System.out.println("threads by name: " + census);
        inbox.close();
        if (mail != null) {
            mail.close();
        }
        fakeIn.println("quit");
        fake.waitFor(10, TimeUnit.SECONDS);
        if (host != null) {
            host.dispatcher().executorService().shutdown();
        }
        System.exit(stored.get() < injected || !mailComplete ? 1 : 0);
    }

    /** Asks the fake for {open polls, injected, confirmed}, skipping anything else it printed (JVM warnings). */
    private static long[] stats(PrintWriter fakeIn, BufferedReader fakeOut) throws java.io.IOException {
        fakeIn.println("stats");
        for (String line; (line = fakeOut.readLine()) != null; ) {
            if (line.startsWith("STATS ")) {
                String[] f = line.split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
            }
            System.out.println("fake: " + line);
        }
        throw new IllegalStateException("the fake ended");
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

}
