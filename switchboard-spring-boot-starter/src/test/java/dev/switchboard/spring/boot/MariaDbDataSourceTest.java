package dev.switchboard.spring.boot;

/**
 * {@link ApplicationDataSourceTests} on MariaDB (127.0.0.1:3306, root without password, a database of this test's own;
 * its tables must be InnoDB with {@code utf8mb4_bin}). Override the server with {@code SWITCHBOARD_MARIADB_URL} (no
 * database in the path), {@code SWITCHBOARD_MARIADB_USER}, {@code SWITCHBOARD_MARIADB_PASSWORD}.
 */
class MariaDbDataSourceTest extends ApplicationDataSourceTests {
    @Override String databaseName() { return "MariaDB"; }
    @Override String server() { return env("SWITCHBOARD_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/"); }
    @Override String user() { return env("SWITCHBOARD_MARIADB_USER", "root"); }
    @Override String password() { return env("SWITCHBOARD_MARIADB_PASSWORD", ""); }
    @Override String connectTimeoutParameter() { return "?connectTimeout=3000"; }
    @Override
    String createSql(String name) {
        return "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    }

    @Override String dropSql(String name) { return "DROP DATABASE IF EXISTS `" + name + "`"; }
    @Override String dataSourceUrl(String name) { return server() + name; }
    @Override String databaseKind() { return "mariadb"; }

    @Override
    String tablesQuery(String name) {
        return "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + name + "'"
                + " AND engine = 'InnoDB' AND table_collation = 'utf8mb4_bin' AND table_name LIKE 'switchboard%'";
    }
}
