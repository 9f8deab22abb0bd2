package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.SlaContract;
import org.junit.jupiter.api.AfterAll;

/**
 * SLA deadlines on MariaDB with {@code useBulkStmts=true} on the URL, where the driver answers a batch's update counts
 * with {@code SUCCESS_NO_INFO}: the timer's batched transitions are undone to their savepoint and run row by row, so
 * the contract (each warning and breach won by one transaction) holds as with the default URL.
 */
class MariaDbBulkStatementsSlaTest extends SlaContract {
    private static final ClassDatabase DATABASE = ClassDatabase.mariaDb("slabulk", 20, "useBulkStmts=true");

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
