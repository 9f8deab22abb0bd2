package dev.switchboard.bench.privacy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.inbox.Inbox;
import dev.switchboard.inbox.privacy.ErasureRecord;
import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.model.CustomerId;
import dev.switchboard.model.TenantId;

/**
 * Times one erasure on an existing schema (an unfinished erasure an interrupted {@link ErasureBenchmark} left, for
 * example): {@code java -cp benchmarks.jar dev.switchboard.bench.privacy.ErasureRerun URL USER SCHEMA CUSTOMER}.
 */
public final class ErasureRerun {
    private ErasureRerun() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setMaximumPoolSize(4);
        try (HikariDataSource ds = new HikariDataSource(config);
             InboxStore store = JdbcInboxStore.builder().dataSource(ds).schema(args[2]).build();
             Inbox inbox = Inbox.builder().store(store).build()) {
            long t0 = System.nanoTime();
            ErasureRecord r = inbox.forTenant(TenantId.of("bench")).privacy().erase(CustomerId.of(args[3]), "bench");
            System.out.printf("erasure of %s: %d ms, %d messages, complete %s%n", args[3],
                    (System.nanoTime() - t0) / 1_000_000, r.messages(), r.isComplete());
        }
    }
}
