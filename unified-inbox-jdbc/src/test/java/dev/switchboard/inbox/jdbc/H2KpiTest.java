package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.KpiContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The KPIs on an H2 file store, migrated once per class, emptied for each test (KPI facts and checkpoint included); the restart test's
 * second inbox runs on a second store over the same data.
 */
class H2KpiTest extends KpiContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("kpi", 10);

    @Override
    protected InboxStore newStore() {
        return DATABASE.freshStore();
    }

    @Override
    protected InboxStore anotherNode(InboxStore first) {
        return DATABASE.anotherNode();
    }

    @AfterAll
    static void drop() {
        DATABASE.drop();
    }
}
