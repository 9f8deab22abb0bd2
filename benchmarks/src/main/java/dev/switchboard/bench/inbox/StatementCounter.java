package dev.switchboard.bench.inbox;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts, from the JDBC side, what a phase of the benchmark sent to the database ({@code -DcountStatements=true}):
 * per statement text, how many times it was executed (each execute or executeBatch is one round trip), how many rows
 * its batches carried and how long the calls took on the client, plus commits. Divided by the commits it says what one
 * group costs in statements and round trips, without server-side statistics (pg_stat_statements need not be loaded).
 * The proxies add a little JVM time per call, so CPU figures of a counted run are not reported as measurements.
 */
final class StatementCounter {
    /** Figures of one statement text. */
    private static final class Tally {
        final LongAdder executions = new LongAdder();
        final LongAdder rows = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder serverNanos = new LongAdder();
    }

    private static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();
    private static final LongAdder COMMITS = new LongAdder();

    private StatementCounter() {}

    static boolean enabled() {
        return Boolean.getBoolean("countStatements");
    }

    /** {@code ds} itself when counting is off, else a counting proxy of it. */
    static DataSource wrap(DataSource ds, String prefix) {
        if (!enabled()) {
            return ds;
        }
        return (DataSource) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
                    Object result = invoke(ds, m, args);
                    return result instanceof Connection c ? connection(c, prefix, backendPid(c)) : result;
                });
    }

    /** The PostgreSQL backend's process id (its CPU time is read around each call), or 0 for other databases. */
    private static int backendPid(Connection c) throws java.sql.SQLException {
        return c.isWrapperFor(org.postgresql.PGConnection.class)
                ? c.unwrap(org.postgresql.PGConnection.class).getBackendPID() : 0;
    }

    /** The CPU time the process has used so far, in nanoseconds (Linux schedstat), or 0 when unknown. */
    private static long cpuNanos(int pid) {
        if (pid == 0) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/schedstat"));
            return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Connection connection(Connection c, String prefix, int pid) {
        return (Connection) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "commit" -> {
                            COMMITS.increment();
                            return timed("COMMIT", c, m, args, 0, pid);
                        }
                        case "prepareStatement" -> {
                            PreparedStatement ps = (PreparedStatement) invoke(c, m, args);
                            return statement(ps, PreparedStatement.class, ((String) args[0]).replace(prefix, ""), pid);
                        }
                        case "createStatement" -> {
                            return statement((Statement) invoke(c, m, args), Statement.class, null, pid);
                        }
                        default -> {
                            return invoke(c, m, args);
                        }
                    }
                });
    }

    private static Object statement(Statement s, Class<? extends Statement> type, String sql, int pid) {
        int[] batched = new int[1];
        return Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type},
                (InvocationHandler) (proxy, m, args) -> {
                    String name = m.getName();
                    if (name.equals("addBatch")) {
                        batched[0]++;
                        return invoke(s, m, args);
                    }
                    if (name.startsWith("execute")) {
                        String text = sql != null ? sql : args != null && args.length > 0 ? (String) args[0] : "?";
                        int rows = name.equals("executeBatch") ? batched[0] : 1;
                        batched[0] = 0;
                        return timed(text, s, m, args, rows, pid);
                    }
                    return invoke(s, m, args);
                });
    }

    private static Object timed(String sql, Object target, Method m, Object[] args, int rows, int pid)
            throws Throwable {
        long cpu0 = cpuNanos(pid);
        long t0 = System.nanoTime();
        try {
            return invoke(target, m, args);
        } finally {
            long elapsed = System.nanoTime() - t0;
            Tally t = TALLIES.computeIfAbsent(sql, k -> new Tally());
            t.executions.increment();
            t.rows.add(rows);
            t.nanos.add(elapsed);
            t.serverNanos.add(cpuNanos(pid) - cpu0);
        }
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Forgets what was counted so far. */
    static void reset() {
        TALLIES.clear();
        COMMITS.reset();
    }

    /** Prints what was counted since the last report, per commit (group) and per event, then starts over. */
    static void report(String phase, int events) {
        if (!enabled()) {
            return;
        }
        long commits = Math.max(1, COMMITS.sumThenReset());
        Map<String, Tally> sorted = new TreeMap<>(TALLIES);
        TALLIES.clear();
        PrintWriter out = new PrintWriter(System.out, true);
        long trips = sorted.values().stream().mapToLong(t -> t.executions.sum()).sum();
        out.printf(Locale.ROOT, "  %s statements: %d commits (%.1f events each), %.1f round trips per commit,"
                + " %.2f per event%n", phase, commits, (double) events / commits, (double) trips / commits,
                (double) trips / events);
        long server = sorted.values().stream().mapToLong(t -> t.serverNanos.sum()).sum();
        out.printf(Locale.ROOT, "    backend CPU (PostgreSQL only): %.0f us per event, %.3f ms per commit%n",
                server / 1e3 / events, server / 1e6 / commits);
        out.printf(Locale.ROOT, "    %9s %9s %9s %9s  %s%n", "execs/tx", "rows/tx", "ms/tx", "cpu us/ev", "statement");
        sorted.forEach((sql, t) -> out.printf(Locale.ROOT, "    %9.2f %9.1f %9.3f %9.1f  %s%n",
                (double) t.executions.sum() / commits, (double) t.rows.sum() / commits,
                t.nanos.sum() / 1e6 / commits, t.serverNanos.sum() / 1e3 / events,
                sql.length() > 150 ? sql.substring(0, 150) + "..." : sql));
    }
}
