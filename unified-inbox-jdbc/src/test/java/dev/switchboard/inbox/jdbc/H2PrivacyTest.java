package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.PrivacyContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** Export and erasure on H2, in a database of this class emptied for each test; the dump reads every table. */
class H2PrivacyTest extends PrivacyContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("privacy", 10);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @Override
    protected List<String> everyRow(InboxStore store) {
        return TableDump.everyRow(DATABASE.pool(), "\"" + DATABASE.schema() + "\".");
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
