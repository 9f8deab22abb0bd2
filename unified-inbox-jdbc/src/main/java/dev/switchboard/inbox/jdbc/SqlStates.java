package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;

/** The standard SQLStates the store reacts to; what a database reports beyond them is in its {@link Dialect}. */
final class SqlStates {
    static final String UNIQUE_VIOLATION = "23505";
    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK = "40P01";

    private SqlStates() {}

    static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    static boolean isRetryable(String sqlState) {
        return SERIALIZATION_FAILURE.equals(sqlState) || DEADLOCK.equals(sqlState);
    }

    /**
     * Failures of the database rather than of the statement's data: connection exceptions (class 08), transaction
     * rollbacks (40), insufficient resources (53), operator intervention such as shutdown or cancelled statements (57),
     * lock not available (55P03), and H2's lock timeout (HYT00).
     */
    static boolean isTransient(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return false;
        }
        String sqlClass = sqlState.substring(0, 2);
        return sqlClass.equals("08") || sqlClass.equals("40") || sqlClass.equals("53") || sqlClass.equals("57")
                || sqlState.equals("55P03") || sqlState.equals("HYT00");
    }
}
