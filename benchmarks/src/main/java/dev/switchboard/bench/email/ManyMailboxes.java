package dev.switchboard.bench.email;

import dev.switchboard.channel.email.EmailChannel;
import dev.switchboard.channel.email.EmailResources;
import dev.switchboard.channel.email.ImapSettings;
import dev.switchboard.channel.email.SmtpSettings;
import dev.switchboard.channel.email.TlsMode;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.InboxEvent;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mailbox half of the many-tenants benchmark, on the node's side: one {@link EmailChannel} per tenant for the
 * first {@code mailboxes} tenants ({@code shop-0} …), all on the process's shared {@link EmailResources}, against
 * {@link ManyMailboxesMailServer} in a child JVM. The first {@code idleMailboxes} mailboxes have IMAP IDLE enabled
 * (no more than the resources' IDLE slots, so each always holds one); the others have it disabled and poll at the
 * poll interval. Fixing which mailbox idles lets the two latencies be reported apart: with IDLE enabled everywhere,
 * the slots go to whichever mailbox asks first after a pass. A listener on the inbox records, for every committed
 * mail, the time from its creation in the fake to the listener seeing it, by kind of mailbox.
 */
public final class ManyMailboxes implements AutoCloseable {
    /** The channel id of every tenant's mailbox. */
    public static final ChannelId CHANNEL = ChannelId.of("email");
    private static final byte[] TOKEN_SECRET = "bench-thread-token-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private final int mailboxes;
    private final int idleMailboxes;
    private final Duration pollInterval;
    private final Process fake;
    private final BufferedReader fakeOut;
    private final PrintWriter fakeIn;
    private final int smtpPort;
    private final int imapPort;
    private final List<EmailChannel> channels = new ArrayList<>();
    private final ConcurrentLinkedQueue<Long> idleLatencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> pollLatencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong stored = new AtomicLong();

    private ManyMailboxes(int mailboxes, int idleMailboxes, Duration pollInterval) throws IOException {
        this.mailboxes = mailboxes;
        this.idleMailboxes = idleMailboxes;
        this.pollInterval = pollInterval;
        this.fake = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), ManyMailboxesMailServer.class.getName(),
                Integer.toString(mailboxes)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        this.fakeOut = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
        this.fakeIn = new PrintWriter(fake.getOutputStream(), true, StandardCharsets.UTF_8);
        String[] ports = reply("PORTS ");
        this.smtpPort = Integer.parseInt(ports[1]);
        this.imapPort = Integer.parseInt(ports[2]);
    }

    /**
     * Starts the mail fake with {@code mailboxes} accounts. {@code idleMailboxes} must not exceed the IDLE slots of
     * {@link EmailResources#shared()}, which every channel uses.
     */
    public static ManyMailboxes start(int mailboxes, int idleMailboxes, Duration pollInterval) throws IOException {
        int slots = EmailResources.shared().idleConnections();
        if (idleMailboxes < 0 || idleMailboxes > Math.min(mailboxes, slots)) {
            throw new IllegalArgumentException("idleMailboxes must be 0.." + Math.min(mailboxes, slots) + " (the "
                    + "shared resources have " + slots + " IDLE slots), got " + idleMailboxes);
        }
        return new ManyMailboxes(mailboxes, idleMailboxes, pollInterval);
    }

    /** Adds one mailbox channel per tenant {@code shop-0} … {@code shop-<mailboxes-1>} to the inbox being built. */
    public void addChannels(Inbox.Builder builder) {
        for (int i = 0; i < mailboxes; i++) {
            String address = ManyMailboxesMailServer.address(i);
            String password = ManyMailboxesMailServer.password(i);
            EmailChannel channel = EmailChannel.builder().id(CHANNEL).tenant(TenantId.of("shop-" + i))
                    .address(address)
                    .imap(ImapSettings.of("127.0.0.1", imapPort, TlsMode.NONE, address, password)
                            .withIdle(i < idleMailboxes).withPollInterval(pollInterval))
                    .smtp(SmtpSettings.of("127.0.0.1", smtpPort, TlsMode.NONE, address, password))
                    .threadTokenSecret(TOKEN_SECRET)
                    .build();
            channels.add(channel);
            builder.channel(channel);
        }
    }

    /** Records every committed bench mail's creation-to-listener latency. */
    public void listenTo(Inbox inbox) {
        inbox.addListener(event -> {
            if (event.type() != InboxEvent.Type.MESSAGE_RECEIVED || event.message().isEmpty()) {
                return;
            }
            Instant now = Instant.now();
            String text = inbox.message(event.tenant(), event.message().get())
                    .filter(m -> m.channel().equals(CHANNEL)).map(Message::content).map(c -> c.plainText())
                    .orElse("");
            int at = text.indexOf("bench m");
            if (at < 0) {
                return;
            }
            int end = at + 7;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            long created = Long.parseLong(text.substring(at + 7, end));
            long latency = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000 - created;
            int mailbox = Integer.parseInt(event.tenant().value().substring("shop-".length()));
            (mailbox < idleMailboxes ? idleLatencies : pollLatencies).add(latency);
            stored.incrementAndGet();
        });
    }

    /** How many mailboxes have completed a receive pass (their health is up). */
    public long ready() {
        return channels.stream().filter(c -> c.health().isUp()).count();
    }

    /** How many mailboxes are waiting in IMAP IDLE right now. */
    public long idling() {
        return channels.stream().filter(EmailChannel::idling).count();
    }

    /** Sets the injection rate of the fake (0 stops it). */
    public void rate(double mailsPerSecond) {
        fakeIn.println("rate " + mailsPerSecond);
    }

    /** Forgets the latencies recorded so far (the end of the warm-up). */
    public void clearLatencies() {
        idleLatencies.clear();
        pollLatencies.clear();
    }

    /** The latencies recorded since {@link #clearLatencies()}, sorted, in microseconds: {IDLE, polling}. */
    public long[][] latencies() {
        long[] idle = idleLatencies.stream().mapToLong(Long::longValue).toArray();
        long[] poll = pollLatencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(idle);
        Arrays.sort(poll);
        return new long[][] {idle, poll};
    }

    /** Mails committed by the inbox so far. */
    public long stored() {
        return stored.get();
    }

    /** Mails the fake delivered so far (a failed delivery is reported on stderr and counted apart). */
    public long injected() throws IOException {
        fakeIn.println("stats");
        String[] f = reply("STATS ");
        if (Long.parseLong(f[2]) > 0) {
            System.out.println("mail fake: " + f[2] + " deliveries failed");
        }
        return Long.parseLong(f[1]);
    }

    /** Waits until every injected mail was committed, or the timeout passes; returns the injected count. */
    public long awaitStored(Duration timeout) throws IOException, InterruptedException {
        long injected = injected();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored.get() < injected && System.nanoTime() < deadline) {
            Thread.sleep(100); // harness pacing, not a test wait
        }
        return injected;
    }

    /** One report line for the mail half of the run. */
    public String report(long[][] window, long injected) {
        return String.format(Locale.ROOT, "mailboxes=%d (IDLE %d, polling %d every %d s) idle: samples=%d "
                        + "p50=%.1f ms p99=%.1f ms max=%.1f ms | polling: samples=%d p50=%.1f ms p99=%.1f ms "
                        + "max=%.1f ms | mails stored=%d/%d",
                mailboxes, idleMailboxes, mailboxes - idleMailboxes, pollInterval.toSeconds(),
                window[0].length, pct(window[0], 0.50), pct(window[0], 0.99), max(window[0]),
                window[1].length, pct(window[1], 0.50), pct(window[1], 0.99), max(window[1]), stored.get(), injected);
    }

    /**
     * The node's live threads grouped by name with the numbers and the served mailbox left out (for example
     * {@code switchboard-email-idle-#=32}), so a run shows where its threads are.
     */
    public static String threadCensus() {
        java.util.Map<String, Long> groups = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName().replaceAll(" .*", "").replaceAll("\\d+", "#");
            groups.merge(name, 1L, Long::sum);
        }
        return groups.toString();
    }

    private String[] reply(String prefix) throws IOException {
        for (String line; (line = fakeOut.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.split(" ");
            }
            System.out.println("mail fake: " + line);
        }
        throw new IllegalStateException("the mail fake ended");
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    private static double max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0;
    }

    /** Stops the fake (the inbox, and with it the channels, is closed by the caller first). */
    @Override
    public void close() throws InterruptedException {
        fakeIn.println("quit");
        if (!fake.waitFor(10, TimeUnit.SECONDS)) {
            fake.destroy();
        }
    }
}
