package dev.switchboard.bench.webchat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.channel.OutboundMessage;
import dev.switchboard.channel.WebhookRequest;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The server side of the webchat load harness, run as its own JVM by {@link WebchatLoad} so its heap is measured
 * alone: a {@link WebchatChannel} on a {@link SwitchboardServer} bound to 127.0.0.1, driven by line commands on stdin
 * ({@code sessions N FILE}, {@code heap}, {@code send RATE SECONDS}, {@code quit}); answers one line on stdout each.
 */
public final class WebchatLoadServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebchatLoadServer() {
    }

    public static void main(String[] args) throws Exception {
        WebchatLoad.quietLogging();
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
        List<String> sessions = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            switch (cmd[0]) {
                case "sessions": {
                    int n = Integer.parseInt(cmd[1]);
                    List<String> lines = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String body = channel.endpoint().handle(new WebhookRequest("POST", "/webchat/session",
                                Map.of(), Map.of(), new byte[0], Optional.empty())).toCompletableFuture().join()
                                .bodyAsUtf8();
                        JsonNode s = JSON.readTree(body);
                        sessions.add(s.path("sessionId").asText());
                        lines.add(s.path("token").asText());
                    }
                    Files.write(Path.of(cmd[2]), lines);
                    out.println("ok " + n);
                    break;
                }
                case "heap": {
                    out.println("heap " + usedHeapAfterGc() + " streams " + channel.connectedStreams());
                    break;
                }
                case "send": {
                    int rate = Integer.parseInt(cmd[1]);
                    int seconds = Integer.parseInt(cmd[2]);
                    int targets = Math.min(sessions.size(), Integer.parseInt(cmd[3]));
                    long total = (long) rate * seconds;
                    long intervalNanos = 1_000_000_000L / rate;
                    long start = System.nanoTime();
                    for (long i = 0; i < total; i++) {
                        long due = start + i * intervalNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String sid = sessions.get((int) (i % targets));
                        Instant now = Instant.now();
                        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                        channel.send(OutboundMessage.simple(channel.id(),
                                ChannelAccount.of(channel.tenant(), channel.id(), sid, Profile.EMPTY),
                                Bubble.TextBubble.plain("t:" + micros)));
                    }
                    double secondsTaken = (System.nanoTime() - start) / 1e9;
                    out.println("sent " + total + " in " + String.format("%.2f", secondsTaken) + " s");
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
}
