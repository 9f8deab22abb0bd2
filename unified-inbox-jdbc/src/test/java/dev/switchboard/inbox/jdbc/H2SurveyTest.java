package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.testkit.SurveyContract;
import org.junit.jupiter.api.AfterAll;

/**
 * Surveys, complaints and canned responses on an H2 file store, migrated once per class,
 * emptied for each test; the other node is a second store on the same data.
 */
class H2SurveyTest extends SurveyContract {
    private static final ClassDatabase DATABASE = ClassDatabase.h2File("survey", 20);

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
