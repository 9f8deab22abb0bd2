package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;

/** The SQLStates the store reacts to, shared by PostgreSQL and H2. */
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
}
