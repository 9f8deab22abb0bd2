package dev.switchboard.inbox.crash;

import dev.switchboard.inbox.store.MariaDbTestDatabase;

/** The SIGKILL crash test on MariaDB, in a fresh database (skipped when the server is unreachable, outside CI). */
class MariaDbCrashRecoveryTest extends CrashRecoveryTest {
    @Override
    Target target() {
        MariaDbTestDatabase.assumeAvailable();
        return Target.MARIADB;
    }
}
