package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.KpiContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The KPIs on MariaDB, in a fresh database for this class, emptied for each test (KPI facts and checkpoint included); the restart test's
 * second inbox runs on a second store over the same data.
 */
class MariaDbKpiTest extends KpiContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("kpi", 10);

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
