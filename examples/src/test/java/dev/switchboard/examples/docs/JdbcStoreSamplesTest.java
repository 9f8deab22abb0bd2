package dev.switchboard.examples.docs;

import dev.switchboard.inbox.jdbc.JdbcInboxStore;
import dev.switchboard.inbox.spi.InboxStore;
import java.nio.file.Path;
import javax.sql.DataSource;

/** The sample of docs/jdbc-store.md, verbatim between the markers (see {@link DocSamplesTest}). */
class JdbcStoreSamplesTest {

    /** Compiled, not run: it writes an H2 file under ./data and needs a PostgreSQL or MariaDB pool. */
    @SuppressWarnings("unused")
    static void twoWaysToStore(DataSource hikari) {
        // ---- doc snippet begins
        // zero setup: an H2 file under ./data, PostgreSQL compatibility mode, H2's own connection pool
        InboxStore local = JdbcInboxStore.h2File(Path.of("data"));

        // production: the host's pool (HikariCP, ...) on PostgreSQL or MariaDB; the JDBC driver is the host's dependency
        InboxStore shared = JdbcInboxStore.builder()
                .dataSource(hikari)          // required
                .schema("switchboard")       // optional: tables in their own schema (MariaDB: database), created when migrating
                .autoMigrate(true)           // default: Flyway creates/upgrades the schema in build()
                .build();
        // ---- doc snippet ends
    }
}
