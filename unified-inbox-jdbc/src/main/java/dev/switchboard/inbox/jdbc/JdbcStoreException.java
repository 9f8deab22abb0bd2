package dev.switchboard.inbox.jdbc;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A database failure inside {@link JdbcInboxStore}, unchecked so store callers see one failure type whatever the
 * driver. Carries the SQLState (for example {@code 40001} serialization failure, {@code 08006} connection lost) so a
 * host can tell transient failures from bugs. Uniqueness violations are reported as
 * {@link dev.switchboard.store.DuplicateKeyException} instead.
 */
public class JdbcStoreException extends RuntimeException {
    private final String sqlState;

    public JdbcStoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    /** The SQLState the driver reported, when it reported one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** Whether re-running the whole transaction may succeed (serialization failure or deadlock). */
    public boolean isTransient() {
        return SqlStates.isRetryable(sqlState);
    }
}
