package dev.switchboard.inbox.jdbc;

import dev.switchboard.inbox.spi.InboxStore;
import dev.switchboard.inbox.store.MariaDbTestDatabase;
import dev.switchboard.inbox.store.PostgresTestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The database behind one per-database test class of a published contract: created and migrated with the first
 * store, emptied before every later one, dropped after the class. A test class keeps one in a static field, hands out
 * {@link #freshStore()} and calls {@link #drop()} from its {@code @AfterAll}; PostgreSQL and MariaDB classes are
 * skipped with a visible message when no server is reachable (and fail when {@code CI=true}).
 */
final class ClassDatabase {
    private enum Kind { POSTGRESQL, MARIADB, H2_FILE, H2_MEMORY }

    private final Kind kind;
    private final String name;
    private final int connections;
    private final String urlOptions;
    private JdbcConnectionPool pool;
    private String schema;
    private Path dir;

    private ClassDatabase(Kind kind, String name, int connections) {
        this(kind, name, connections, "");
    }

    private ClassDatabase(Kind kind, String name, int connections, String urlOptions) {
        this.kind = kind;
        this.name = name;
        this.connections = connections;
        this.urlOptions = urlOptions;
    }

    /** A fresh schema on the test PostgreSQL server. */
    static ClassDatabase postgres(String name, int connections) {
        return new ClassDatabase(Kind.POSTGRESQL, name, connections);
    }

    /** A fresh database on the test MariaDB server. */
    static ClassDatabase mariaDb(String name, int connections) {
        return new ClassDatabase(Kind.MARIADB, name, connections);
    }

    /** A fresh database on the test MariaDB server, connected with these driver options on the URL. */
    static ClassDatabase mariaDb(String name, int connections, String urlOptions) {
        return new ClassDatabase(Kind.MARIADB, name, connections, urlOptions);
    }

    /** An H2 file database in PostgreSQL mode (as {@link JdbcInboxStore#h2File} opens it) in a temporary folder. */
    static ClassDatabase h2File(String name, int connections) {
        return new ClassDatabase(Kind.H2_FILE, name, connections);
    }

    /** A named H2 database in memory, in PostgreSQL mode. */
    static ClassDatabase h2Memory(String name) {
        return new ClassDatabase(Kind.H2_MEMORY, name, 10);
    }

    /** A store on the class's database: migrated the first time, emptied of every row since. */
    InboxStore freshStore() {
        try {
            if (pool == null) {
                open();
                return JdbcInboxStore.builder().dataSource(pool).schema(schema).build();
            }
            if (kind == Kind.MARIADB) {
                TestSchemas.truncateAllMariaDb(pool, schema);
            } else {
                TestSchemas.truncateAll(pool, schema);
            }
            return anotherNode();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One more store on the same schema, as another node would open it (no migration). */
    JdbcInboxStore anotherNode() {
        return JdbcInboxStore.builder().dataSource(pool).schema(schema).autoMigrate(false).build();
    }

    JdbcConnectionPool pool() {
        return pool;
    }

    String schema() {
        return schema;
    }

    private void open() {
        switch (kind) {
            case POSTGRESQL -> {
                PostgresTestDatabase.assumeAvailable();
                pool = PostgresTestDatabase.pool(connections);
                schema = PostgresTestDatabase.newSchema(name);
            }
            case MARIADB -> {
                MariaDbTestDatabase.assumeAvailable();
                pool = MariaDbTestDatabase.pool(connections, urlOptions);
                schema = MariaDbTestDatabase.newSchema(name);
            }
            case H2_FILE -> {
                try {
                    dir = Files.createTempDirectory("switchboard-h2-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchboard")
                        + ";MODE=PostgreSQL;LOCK_TIMEOUT=10000", "sa", "");
                pool.setMaxConnections(connections);
                schema = name;
            }
            case H2_MEMORY -> {
                pool = JdbcConnectionPool.create("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
                        "sa", "");
                schema = name;
            }
        }
    }

    /** Closes the pool and drops what {@link #freshStore()} created. */
    void drop() {
        if (pool == null) {
            return;
        }
        pool.dispose();
        pool = null;
        switch (kind) {
            case POSTGRESQL -> PostgresTestDatabase.dropSchema(schema);
            case MARIADB -> MariaDbTestDatabase.dropSchema(schema);
            case H2_FILE -> {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case H2_MEMORY -> { }
        }
    }
}
