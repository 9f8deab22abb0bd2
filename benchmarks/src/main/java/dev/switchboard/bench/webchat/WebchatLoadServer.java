package dev.switchboard.bench.webchat;

import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.Profile;
import dev.switchboard.render.Bubble;
import dev.switchboard.server.jetty.SwitchboardServer;
import dev.switchboard.channel.webchat.WebchatChannel;
import dev.switchboard.channel.webchat.WebchatLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * The website chat side of the webchat-vs-socket.io benchmark: a {@link WebchatChannel} with the in-memory log on a
 * {@link SwitchboardServer} bound to 127.0.0.1, run as its own JVM by the Node load generator
 * ({@code benchmarks/socketio-peer/load.js}), which speaks the same line protocol to the socket.io peer. Visitors
 * create their sessions over HTTP and open their streams themselves; this process only answers commands on stdin, one
 * line on stdout each: {@code targets FILE} (the session ids agent replies go to, one a line), {@code heap} (heap in use
 * after GC and connected streams), {@code jvm} (collections and JIT time so far), {@code r INDEX PHASE DUE} (send one agent reply now, no answer), {@code quit}.
 *
 * <p>Agent replies are paced by the load generator, not here, so both peers get the very same schedule; each reply's
 * text is {@code t:PHASE:DUE}, where {@code DUE} is its scheduled send time in {@code CLOCK_MONOTONIC} nanoseconds
 * ({@link System#nanoTime()} on Linux, the clock Node's {@code process.hrtime} reads), so the client measures latency
 * from the scheduled time and a queue anywhere on the way shows up in it.
 */
public final class WebchatLoadServer {
    private WebchatLoadServer() {
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        WebchatChannel channel = WebchatChannel.builder()
                .tokenSecret("load-harness-token-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8))
                .limits(WebchatLimits.DEFAULT.withConnectionsPerIp(1_000_000).withMessagesPerMinute(1_000))
                // every simulated visitor comes from one loopback address
                .addressLimits(new dev.switchboard.channel.webchat.AddressLimits(Integer.MAX_VALUE, Integer.MAX_VALUE))
                .agentsOnline(true).build();
        channel.start(new InboundSink() {
            @Override
            public java.util.concurrent.CompletionStage<Void> deliver(dev.switchboard.channel.InboundEvent event) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> reject(dev.switchboard.channel.RejectedInput input) {
                return CompletableFuture.completedFuture(null);
            }
        }).toCompletableFuture().join();
        SwitchboardServer server = SwitchboardServer.builder().host("127.0.0.1").port(0).channel(channel)
                .maxThreads(64).acceptQueueSize(4096).idleTimeout(Duration.ofMinutes(10)).build().start();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        out.println("port " + server.port());
        List<String> sessions = List.of();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "r": {
                    String sid = sessions.get(Integer.parseInt(cmd[1]));
                    channel.send(OutboundMessage.simple(channel.id(),
                            ChannelAccount.of(channel.tenant(), channel.id(), sid, Profile.EMPTY),
                            Bubble.TextBubble.plain("t:" + cmd[2] + ":" + cmd[3])));
                    break;
                }
                case "targets": {
                    sessions = List.copyOf(Files.readAllLines(Path.of(cmd[1])));
                    out.println("ok " + sessions.size());
                    break;
                }
                case "jvm": {
                    out.println("jvm " + jvmStats());
                    break;
                }
                case "heap": {
                    out.println("heap " + usedHeapAfterGc() + " streams " + channel.connectedStreams());
                    break;
                }
                case "quit":
                    server.stop();
                    channel.stop();
                    out.println("bye");
                    return;
                default:
                    out.println("error unknown command " + cmd[0]);
            }
        }
    }

    /**
     * Collections, their total time and JIT compilation time so far ({@code gc N MS jit MS}): the load generator
     * prints the difference over the measured phase, which tells a GC or compilation burst from the server's own work.
     */
    static String jvmStats() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return "gc " + count + " " + millis + " jit " + ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Heap in use after full collections: what live objects (sessions, sockets, buffers, logs) occupy. */
    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            LockSupport.parkNanos(200_000_000L);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Turns logback (if it is the SLF4J backend) down to WARN so the harness measures work, not logging. */
    static void quietLogging() {
        org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
