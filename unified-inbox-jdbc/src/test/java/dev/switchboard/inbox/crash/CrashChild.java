package dev.switchboard.inbox.crash;

import dev.switchboard.channel.InboundEvent;
import dev.switchboard.channel.InboundSink;
import dev.switchboard.content.Content;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.OutboxSettings;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import dev.switchboard.inbox.testkit.FakeChannel;
import dev.switchboard.model.ChannelAccount;
import dev.switchboard.model.ChannelId;
import dev.switchboard.model.ChannelType;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.Message;
import dev.switchboard.model.TenantId;
import dev.switchboard.store.PageRequest;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The process {@link CrashRecoveryTest} kills: an inbox on the JDBC store ingesting a deterministic stream of
 * {@code count} events ({@code e0..e<count-1>} from 300 users) with many deliveries in flight, queueing a reply for
 * every tenth acknowledged event. Each acknowledgement (the delivery stage completed, i.e. after commit) is appended
 * to {@code acks.log} and flushed; every reply queued goes to {@code replies.log}; every send the fake platform
 * accepts goes to {@code sends.log}. Running it again replays the whole stream from the start, as a platform retries
 * unacknowledged events. Prints nothing; exits 0 after the stream is through and the outbox is empty.
 *
 * <p>Arguments: {@code pg <schema> <workDir> <count>}, {@code mariadb <database> <workDir> <count>} or
 * {@code h2 <dbDir> <workDir> <count>}.
 */
public final class CrashChild {
    static final int USERS = 300;
    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path work = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        JdbcConnectionPool pool = null;
        InboxStore store;
        if (mode.equals("pg") || mode.equals("mariadb")) {
            pool = mode.equals("pg") ? PostgresTestDatabase.pool(16) : MariaDbTestDatabase.pool(16);
            store = JdbcInboxStore.builder().dataSource(pool).schema(args[1]).build();
        } else {
            store = JdbcInboxStore.h2File(Path.of(args[1]));
        }
        Writer acks = appender(work.resolve("acks.log"));
        Writer replies = appender(work.resolve("replies.log"));
        Writer sends = appender(work.resolve("sends.log"));
        FakeChannel tg = FakeChannel.of("tg", ChannelType.TELEGRAM);
        tg.sendPolicy(m -> {
            appendLine(sends, m.idempotencyKey());
            return new FakeChannel.Succeed();
        });
        Inbox inbox = Inbox.builder().store(store).channel(tg)
                .nodeId("crash-child-" + ProcessHandle.current().pid())
                .outbox(OutboxSettings.builder().sendTimeout(Duration.ofSeconds(1)).leaseDuration(Duration.ofSeconds(2))
                        .pollInterval(Duration.ofMillis(20)).backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                        .build())
                .build();
        inbox.start();
        InboundSink sink = inbox.sink(TenantId.DEFAULT, ChannelId.of("tg"));
        ExecutorService replier = Executors.newSingleThreadExecutor();
        Semaphore inFlight = new Semaphore(256);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            int n = i;
            ChannelAccount account = tg.account("u" + (i % USERS));
            InboundEvent event = InboundEvent.MessageReceived.of("e" + i, account, T0.plusMillis(i), "p" + i,
                    Content.text("message " + i));
            sink.deliver(event).whenComplete((ok, failure) -> {
                inFlight.release();
                if (failure != null) {
                    return; // not acknowledged: the platform will deliver it again
                }
                appendLine(acks, "e" + n);
                if (n % 10 == 0) {
                    replier.execute(() -> queueReply(inbox, account, n, replies));
                }
            });
        }
        inFlight.acquire(256);
        replier.shutdown();
        replier.awaitTermination(5, TimeUnit.MINUTES);
        while (inbox.pendingOutboxCount() > 0) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        inbox.close();
        store.close();
        if (pool != null) {
            pool.dispose();
        }
        System.exit(0);
    }

    private static void queueReply(Inbox inbox, ChannelAccount account, int n, Writer replies) {
        CustomerId customer = inbox.customerByAccount(account.key()).orElseThrow().id();
        Message last = inbox.timeline(TenantId.DEFAULT, customer, PageRequest.first(1)).items().get(0);
        Message reply = inbox.reply(last.conversation(), Content.text("reply to e" + n));
        appendLine(replies, reply.id().value());
    }

    private static Writer appender(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void appendLine(Writer writer, String line) {
        synchronized (writer) {
            try {
                writer.write(line);
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
