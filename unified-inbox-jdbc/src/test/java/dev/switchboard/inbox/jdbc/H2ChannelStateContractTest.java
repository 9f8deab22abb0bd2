package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.ChannelStateContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterAll;

/**
 * The channel-state contract on an H2 file database (PostgreSQL mode, as {@link JdbcInboxStore#h2File} opens it) in a
 * temporary directory, migrated once per class and emptied before each test.
 */
class H2ChannelStateContractTest extends ChannelStateContract {
    private static final String SCHEMA = "chstate";
    private static Path dir;
    private static JdbcConnectionPool pool;

    @Override
    protected InboxStore createStore() throws Exception {
        if (pool == null) {
            dir = Files.createTempDirectory("switchboard-h2-");
            pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchboard")
                    + ";MODE=PostgreSQL;LOCK_TIMEOUT=10000", "sa", "");
            pool.setMaxConnections(16);
            return JdbcInboxStore.builder().dataSource(pool).schema(SCHEMA).build();
        }
        TestSchemas.truncateAll(pool, SCHEMA);
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
