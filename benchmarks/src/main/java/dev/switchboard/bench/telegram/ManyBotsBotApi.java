package dev.switchboard.bench.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bot API fake for many bots at once, run in its own JVM by {@link ManyBotsPollingHarness} so that the node under
 * test is measured alone. Bot {@code i} has the token {@code <i+1>:<secret>}. It answers getMe, getUpdates with
 * Telegram's semantics (a poll is held open until an update arrives or its timeout passes; an offset confirms and
 * forgets what lies below it) and, while injecting, creates text updates at a fixed rate spread uniformly over the
 * bots (fixed seed), each stamped with its creation time so the harness can measure update-to-commit latency. Polls
 * are parked without a thread each: the JDK server's exchanges are answered later from the injector or a timer.
 *
 * <p>Control on stdin, one command a line: {@code rate <updates/s>}, {@code stats}, {@code quit}. It prints
 * {@code PORT <port>} when ready and {@code STATS <open polls> <injected> <confirmed>} on request.
 */
public final class ManyBotsBotApi {
    private static final Pattern PATH = Pattern.compile("/bot(\\d+):([^/]+)/(\\w+)");
    static final String SECRET = "benchSecretForManyBots_0123456789abcdef";

    private final ObjectMapper json = new ObjectMapper();
    private final Bot[] bots;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong openPolls = new AtomicLong();
    private volatile double rate;

    private ManyBotsBotApi(int count) {
        bots = new Bot[count];
        for (int i = 0; i < count; i++) {
            bots[i] = new Bot(i + 1);
        }
    }

    public static void main(String[] args) throws Exception {
        ManyBotsBotApi api = new ManyBotsBotApi(Integer.parseInt(args[0]));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", api::handle);
        server.start();
        Thread injector = new Thread(api::inject, "injector");
        injector.setDaemon(true);
        injector.start();
        System.out.println("PORT " + server.getAddress().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("rate ")) {
                api.rate = Double.parseDouble(line.substring(5).trim());
            } else if (line.equals("stats")) {
                System.out.println("STATS " + api.openPolls.get() + " " + api.injected.get() + " "
                        + api.confirmed.get());
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        server.stop(0);
        System.exit(0);
    }

    /** Creates updates at {@link #rate}, evenly spaced, on uniformly random bots. */
    private void inject() {
        Random random = new Random(42);
        long next = System.nanoTime();
        while (true) {
            double r = rate;
            if (r <= 0) {
                parkMillis(20);
                next = System.nanoTime();
                continue;
            }
            long now = System.nanoTime();
            if (now < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                continue;
            }
            next += (long) (1e9 / r);
            bots[random.nextInt(bots.length)].add();
            injected.incrementAndGet();
        }
    }

    private static void parkMillis(long ms) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private void handle(HttpExchange ex) throws IOException {
        Matcher m = PATH.matcher(ex.getRequestURI().getPath());
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!m.matches()) {
            reply(ex, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
            return;
        }
        int id = Integer.parseInt(m.group(1));
        if (id < 1 || id > bots.length || !m.group(2).equals(SECRET)) {
            reply(ex, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
            return;
        }
        Bot bot = bots[id - 1];
        switch (m.group(3)) {
            case "getMe" -> reply(ex, 200, "{\"ok\":true,\"result\":{\"id\":" + id + ",\"is_bot\":true,"
                    + "\"first_name\":\"Bench\",\"username\":\"bench" + id + "_bot\"}}");
            case "getUpdates" -> {
                JsonNode p = body.length == 0 ? json.createObjectNode() : json.readTree(body);
                bot.poll(ex, p.path("offset").asLong(0), Math.min(p.path("timeout").asLong(0), 25));
            }
            case "deleteWebhook" -> reply(ex, 200, "{\"ok\":true,\"result\":true}");
            default -> reply(ex, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            ex.close(); // the client went away (a cancelled poll)
        }
    }

    /** One bot: its pending updates and at most one parked poll. */
    private final class Bot {
        private final int id;
        private final List<long[]> pending = new ArrayList<>(); // {update_id, created epoch micros}
        private long nextUpdateId = 1000;
        private HttpExchange parked;
        private ScheduledFuture<?> parkedTimeout;

        Bot(int id) {
            this.id = id;
        }

        synchronized void add() {
            Instant now = Instant.now();
            pending.add(new long[] {nextUpdateId++, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000});
            if (parked != null) {
                HttpExchange ex = parked;
                parked = null;
                parkedTimeout.cancel(false);
                openPolls.decrementAndGet();
                reply(ex, 200, page());
            }
        }

        synchronized void poll(HttpExchange ex, long offset, long timeoutSeconds) {
            if (offset > 0) {
                int before = pending.size();
                pending.removeIf(u -> u[0] < offset);
                confirmed.addAndGet(before - pending.size());
            }
            if (parked != null) { // Telegram ends the older poll: "terminated by other getUpdates request"
                HttpExchange old = parked;
                parked = null;
                parkedTimeout.cancel(false);
                openPolls.decrementAndGet();
                reply(old, 409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other "
                        + "getUpdates request\"}");
            }
            if (!pending.isEmpty() || timeoutSeconds == 0) {
                reply(ex, 200, page());
                return;
            }
            parked = ex;
            openPolls.incrementAndGet();
            parkedTimeout = timer.schedule(() -> timeout(ex), timeoutSeconds, TimeUnit.SECONDS);
        }

        private synchronized void timeout(HttpExchange ex) {
            if (parked == ex) {
                parked = null;
                openPolls.decrementAndGet();
                reply(ex, 200, "{\"ok\":true,\"result\":[]}");
            }
        }

        private String page() {
            StringBuilder b = new StringBuilder("{\"ok\":true,\"result\":[");
            for (int i = 0; i < pending.size() && i < 100; i++) {
                long[] u = pending.get(i);
                if (i > 0) {
                    b.append(',');
                }
                long user = 500_000_000L + id * 10L + (u[0] % 3);
                b.append("{\"update_id\":").append(u[0]).append(",\"message\":{\"message_id\":")
                        .append(u[0]).append(",\"from\":{\"id\":").append(user)
                        .append(",\"is_bot\":false,\"first_name\":\"Customer\"},\"chat\":{\"id\":").append(user)
                        .append(",\"type\":\"private\"},\"date\":").append(u[1] / 1_000_000)
                        .append(",\"text\":\"bench t").append(u[1]).append("\"}}");
            }
            return b.append("]}").toString();
        }
    }
}
