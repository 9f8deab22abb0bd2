package dev.switchboard.inbox.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Every row of every switchboard table of a schema as text (binary columns read as UTF-8), for erasure tests. */
final class TableDump {
    private TableDump() {}

    static List<String> everyRow(DataSource dataSource, String qualifiedPrefix) {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TestSchemas.TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + qualifiedPrefix + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(table).append(':');
                        for (int i = 1; i <= columns; i++) {
                            Object v = rs.getObject(i);
                            row.append(' ').append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                                    : rs.getString(i));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
