package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.RoutingContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/**
 * Routing on an H2 file store, migrated once per class and emptied for each test; the race test's other nodes are
 * further stores on the same file.
 */
class H2RoutingTest extends RoutingContract {
    private static final String SCHEMA = "routing";
    private static Path dir;
    private static JdbcConnectionPool pool;

    @Override
    protected InboxStore newStore() {
        try {
            if (pool == null) {
                dir = Files.createTempDirectory("switchboard-h2-");
                pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchboard")
                        + ";MODE=PostgreSQL;LOCK_TIMEOUT=10000", "sa", "");
                pool.setMaxConnections(40);
                return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).build();
            }
            TestSchemas.truncateAll(pool, SCHEMA);
            return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).autoMigrate(false).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected InboxStore anotherNode(InboxStore first) {
        return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).autoMigrate(false).build();
    }

    @AfterAll
    static void deleteDatabase() throws Exception {
        if (pool != null) {
            pool.dispose();
            pool = null;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
