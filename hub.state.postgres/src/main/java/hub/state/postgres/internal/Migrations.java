package hub.state.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned SQL scripts ({@code migrations/V<n>__<what>.sql} in this bundle), each applied in one transaction (DDL is
 * transactional in PostgreSQL) and recorded in {@code hub_schema_version}. Hubs starting at once take an advisory
 * lock first, so a script runs once. A database newer than this hub (a version it does not know) is refused with a
 * message naming both versions. Flyway and Liquibase were not used: both find their database support and migrations
 * through {@code ServiceLoader} and class-path scanning, which do not cross bundle class loaders without SPI Fly.
 */
final class Migrations {
    /** The scripts, in order; the number in each name is its version. */
    static final List<String> SCRIPTS = List.of("V1__shared_state.sql");
    private static final long LOCK = 0x7675_6d68_7374_6174L; // "vmhstat"

    private Migrations() {
    }

    /**
     * @param c a connection (its auto-commit is restored)
     * @return the schema version after migrating
     */
    static int migrate(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                s.execute("CREATE TABLE IF NOT EXISTS hub_schema_version (version integer PRIMARY KEY,"
                        + " script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            }
            int current = current(c);
            if (current > SCRIPTS.size()) {
                throw new SQLException("the database's hub schema is at version " + current + ", newer than this"
                        + " hub knows (" + SCRIPTS.size() + "): upgrade this hub");
            }
            c.commit();
            for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                String script = SCRIPTS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    if (current(c) >= v) { // another hub applied it meanwhile
                        c.commit();
                        continue;
                    }
                    s.execute(read(script));
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO hub_schema_version (version, script) VALUES (?, ?)")) {
                        p.setInt(1, v);
                        p.setString(2, script);
                        p.executeUpdate();
                    }
                }
                c.commit();
            }
            return Math.max(current, SCRIPTS.size());
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM hub_schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/hub/state/postgres/migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }
}
