package dev.switchboard.spring.boot;

import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Switchboard's schema scripts through the application's Flyway: a Flyway configured like the application's
 * (its DataSource, which may use a dedicated DDL user, its placeholders, connect retries and validation settings)
 * but with Switchboard's script location and its own history table {@code switchboard_schema_history}, so the two
 * histories never mix. The starter runs it once, after the application's own migrations, and builds the store with
 * its own migration off, so the scripts never run twice. Thread-safe (used once, at startup).
 */
public final class SwitchboardFlywayMigration {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardFlywayMigration.class);
    /** The history table of Switchboard's scripts (the same one the store's own migration uses). */
    public static final String HISTORY_TABLE = "switchboard_schema_history";

    private final Flyway application;

    /** Migrates like {@code application}, the application's Flyway. */
    public SwitchboardFlywayMigration(Flyway application) {
        this.application = application;
    }

    /**
     * Applies the scripts for {@code databaseKind} ({@code postgresql}, {@code mariadb} or {@code h2}, as the store detected it) in
     * {@code schema}, or in the connection's default schema when empty.
     */
    public void migrate(String databaseKind, Optional<String> schema) {
        FluentConfiguration config = Flyway.configure(SwitchboardFlywayMigration.class.getClassLoader())
                .configuration(application.getConfiguration())
                .locations("classpath:db/switchboard/" + databaseKind)
                .table(HISTORY_TABLE)
                .sqlMigrationPrefix("V")
                .sqlMigrationSeparator("__")
                .sqlMigrationSuffixes(".sql")
                .target("latest")
                .javaMigrations()
                // the database already holds the application's tables: start Switchboard's history from empty
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (schema.isPresent()) {
            config.schemas(schema.get()).defaultSchema(schema.get()).createSchemas(true);
        } else {
            config.schemas().defaultSchema(null);
        }
        MigrateResult result = config.load().migrate();
        log.info("Switchboard schema ({}) at version {} through the application's Flyway ({} migrations applied)",
                databaseKind, result.targetSchemaVersion, result.migrationsExecuted);
    }
}
