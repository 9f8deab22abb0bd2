package dev.switchboard.spring.boot;

/**
 * {@link ApplicationDataSourceTests} on PostgreSQL (127.0.0.1:5432, database {@code switchboard_test}, user
 * {@code postgres}, a schema of this test's own as the connection's current schema). Override the server with
 * {@code SWITCHBOARD_PG_URL}, {@code SWITCHBOARD_PG_USER}.
 */
class PostgresDataSourceTest extends ApplicationDataSourceTests {
    @Override String databaseName() { return "PostgreSQL"; }
    @Override String server() { return env("SWITCHBOARD_PG_URL", "jdbc:postgresql://127.0.0.1:5432/switchboard_test"); }
    @Override String user() { return env("SWITCHBOARD_PG_USER", "postgres"); }
    @Override String password() { return ""; }
    @Override String connectTimeoutParameter() { return "?connectTimeout=3"; }
    @Override String createSql(String name) { return "CREATE SCHEMA " + name; }
    @Override String dropSql(String name) { return "DROP SCHEMA IF EXISTS " + name + " CASCADE"; }
    @Override String dataSourceUrl(String name) { return server() + "?currentSchema=" + name; }
    @Override String databaseKind() { return "postgresql"; }

    @Override
    String tablesQuery(String name) {
        return "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + name + "'";
    }
}
