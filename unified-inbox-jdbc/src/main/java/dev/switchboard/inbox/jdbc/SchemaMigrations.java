package dev.switchboard.inbox.jdbc;

import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema scripts with Flyway. Scripts live in this jar under
 * {@code db/switchboard/<dialect>/V<n>__*.sql}; the history table is {@code switchboard_schema_history} so it never
 * collides with a host's own Flyway history. Hosts that manage DDL themselves turn auto-migration off and run the same
 * scripts with their own tooling.
 */
final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    static final String HISTORY_TABLE = "switchboard_schema_history";

    private SchemaMigrations() {}

    static void migrate(DataSource dataSource, Dialect dialect, Optional<String> schema) {
        var config = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/switchboard/" + dialect.migrationFolder())
                .table(HISTORY_TABLE)
                // A host database may already hold the host's own tables: start our history from empty anyway.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        schema.ifPresent(s -> config.schemas(s).createSchemas(true));
        MigrateResult result = config.load().migrate();
        log.info("switchboard schema on {} at version {} ({} migrations applied)", dialect.migrationFolder(),
                result.targetSchemaVersion, result.migrationsExecuted);
    }
}
