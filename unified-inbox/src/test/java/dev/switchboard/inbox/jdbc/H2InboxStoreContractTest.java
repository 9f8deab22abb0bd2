package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.InboxStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The store contract on an H2 file database in a fresh temporary directory per test. */
class H2InboxStoreContractTest extends InboxStoreContract {
    private Path dir;

    @Override
    protected InboxStore createStore() throws Exception {
        dir = Files.createTempDirectory("switchboard-h2-");
        return JdbcInboxStore.h2File(dir);
    }

    @Override
    protected void disposeStore() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
