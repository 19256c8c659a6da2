package hub.state.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import hub.api.state.RecordKind;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The shared state in PostgreSQL: catalog entries in {@code hub_models} (unique on name and version, the descriptor as
 * JSONB), other documents in {@code hub_documents}, records in {@code hub_records}; connections pooled by HikariCP
 * over the driver's own data source (no class loading by name); every write one transaction that also sends
 * {@code NOTIFY hub_state} with the kind, which a listening connection per hub turns into notifications.
 */
@Component(service = StateStore.class, configurationPid = "hub.state", configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"service.ranking:Integer=100", "hub.state.implementation=postgresql"})
@Designate(ocd = StateConfig.class)
public class PostgresStateStore implements StateStore {
    private static final System.Logger LOG = System.getLogger(PostgresStateStore.class.getName());
    static final String CHANNEL = "hub_state";

    /** How to reach the database. */
    record Settings(String url, String user, String password, int poolSize, int connectTimeoutSeconds) {
        @Override
        public String toString() { // never the password
            return "Settings[" + url + ", user " + user + "]";
        }
    }

    private final Settings settings;
    /** A configuration mistake every use reports, or null. */
    private final String problem;
    private volatile boolean migrated;
    private final HikariDataSource pool;
    private final PGSimpleDataSource direct;
    private final List<Consumer<StateKind>> listeners = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;

    /**
     * A store that is there even when its database is not: every use then answers a clear
     * {@link StateUnavailableException}, so a command exits with its code and {@code hub serve} refuses to start,
     * instead of the hub falling back to anything else.
     *
     * @param config the {@code hub.state} configuration
     */
    @Activate
    public PostgresStateStore(StateConfig config) {
        this(settings(config));
    }

    PostgresStateStore(Settings settings) {
        this.settings = settings;
        if (settings.url() == null || !settings.url().startsWith("jdbc:postgresql:")) {
            // a configuration mistake: every use says so (and the hub refuses to serve), nothing falls back to files
            this.problem = "hub.state url must be a jdbc:postgresql: URL, not '" + settings.url() + "'";
            this.direct = null;
            this.pool = null;
            this.listener = null;
            LOG.log(System.Logger.Level.ERROR, problem);
            return;
        }
        this.problem = null;
        this.direct = new PGSimpleDataSource();
        direct.setURL(settings.url());
        direct.setUser(settings.user());
        direct.setPassword(settings.password());
        direct.setConnectTimeout(Math.max(1, settings.connectTimeoutSeconds()));
        direct.setApplicationName("vision-hub");
        HikariConfig c = new HikariConfig();
        c.setDataSource(direct);
        c.setPoolName("hub-state");
        c.setMaximumPoolSize(Math.max(1, settings.poolSize()));
        c.setMinimumIdle(1);
        c.setConnectionTimeout(Math.max(1, settings.connectTimeoutSeconds()) * 1000L);
        c.setInitializationFailTimeout(-1); // the first connection is checked below, with a message of ours
        c.setRegisterMbeans(false);
        this.pool = new HikariDataSource(c);
        try (Connection conn = pool.getConnection()) {
            migrate(conn);
        } catch (SQLException | StateUnavailableException e) {
            // unreachable at start: every use answers StateUnavailableException (hub serve refuses to start, a
            // command exits 9); the store connects and migrates as soon as the database answers
            LOG.log(System.Logger.Level.WARNING, "cannot reach the shared state at {0} yet: {1}", describe(),
                    e.getMessage());
        }
        this.listener = new Thread(this::listen, "hub-state-listener");
        listener.setDaemon(true);
        listener.start();
    }

    /** Brings the schema up to date once per process, on the first connection that works. */
    private void migrate(Connection conn) throws SQLException {
        if (migrated) {
            return;
        }
        synchronized (this) {
            if (!migrated) {
                int version = Migrations.migrate(conn);
                migrated = true;
                LOG.log(System.Logger.Level.INFO, "shared state in PostgreSQL at {0} (schema version {1})",
                        describe(), version);
            }
        }
    }

    static Settings settings(StateConfig c) {
        String password = null;
        if (c.passwordFile() != null && !c.passwordFile().isBlank()) {
            try {
                password = Files.readAllLines(Path.of(c.passwordFile()), StandardCharsets.UTF_8).stream().findFirst()
                        .orElse("").trim();
            } catch (IOException e) {
                throw new StateUnavailableException("cannot read the database password file " + c.passwordFile()
                        + ": " + e.getMessage(), e);
            }
        } else if (c.passwordEnv() != null && !c.passwordEnv().isBlank()) {
            password = System.getenv(c.passwordEnv());
        }
        return new Settings(c.url(), c.user(), password, c.poolSize(), c.connectTimeoutSeconds());
    }

    @Deactivate
    void close() {
        closed = true;
        if (listener != null) {
            listener.interrupt();
            pool.close();
        }
    }

    @Override
    public String describe() {
        if (problem != null) {
            return "postgresql (misconfigured: " + problem + ")";
        }
        return "postgresql " + settings.url().substring("jdbc:postgresql:".length()).replaceFirst("\\?.*", "")
                + " as " + settings.user();
    }

    // ---- documents ----

    @Override
    public Map<String, String> documents(StateKind kind) {
        String sql = kind == StateKind.CATALOG
                ? "SELECT name || '@' || version, descriptor::text FROM hub_models ORDER BY name, version"
                : "SELECT key, doc::text FROM hub_documents WHERE kind = ? ORDER BY key";
        return withConnection("read " + kind(kind), c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (kind != StateKind.CATALOG) {
                    p.setString(1, kind.name());
                }
                Map<String, String> out = new LinkedHashMap<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.put(r.getString(1), r.getString(2));
                    }
                }
                return Collections.unmodifiableMap(out);
            }
        });
    }

    @Override
    public void write(StateKind kind, Map<String, String> puts, Set<String> removals) {
        if (puts.isEmpty() && removals.isEmpty()) {
            return;
        }
        inTransaction("write " + kind(kind), c -> {
            for (String key : removals) {
                try (PreparedStatement p = c.prepareStatement(kind == StateKind.CATALOG
                        ? "DELETE FROM hub_models WHERE name = ? AND version = ?"
                        : "DELETE FROM hub_documents WHERE kind = ? AND key = ?")) {
                    bindKey(p, kind, key);
                    p.executeUpdate();
                }
            }
            insert(c, kind, puts, kind == StateKind.CATALOG
                    ? "DO UPDATE SET descriptor = excluded.descriptor, family = excluded.family, updated_at = now()"
                    : "DO UPDATE SET doc = excluded.doc, updated_at = now()");
            notify(c, kind.name());
            return true;
        });
    }

    @Override
    public Set<String> create(StateKind kind, Map<String, String> docs) {
        if (docs.isEmpty()) {
            return Set.of();
        }
        Set<String> taken = new java.util.TreeSet<>();
        inTransaction("write " + kind(kind), c -> {
            // the unique constraint decides, inside the transaction: no other hub can slip in between
            taken.addAll(insert(c, kind, docs, "DO NOTHING"));
            if (taken.isEmpty()) {
                notify(c, kind.name());
            }
            return taken.isEmpty();
        });
        return taken;
    }

    /** @return the keys the conflict clause left alone (taken, with DO NOTHING) */
    private static Set<String> insert(Connection c, StateKind kind, Map<String, String> docs, String onConflict)
            throws SQLException {
        Set<String> untouched = new java.util.TreeSet<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            try (PreparedStatement p = c.prepareStatement(kind == StateKind.CATALOG
                    ? "INSERT INTO hub_models (name, version, descriptor, family) VALUES (?, ?, ?::jsonb,"
                            + " coalesce(?::jsonb ->> 'family', '')) ON CONFLICT (name, version) " + onConflict
                    : "INSERT INTO hub_documents (kind, key, doc) VALUES (?, ?, ?::jsonb) ON CONFLICT (kind, key) "
                            + onConflict)) {
                bindKey(p, kind, e.getKey());
                p.setString(3, e.getValue());
                if (kind == StateKind.CATALOG) {
                    p.setString(4, e.getValue());
                }
                if (p.executeUpdate() == 0) {
                    untouched.add(e.getKey());
                }
            }
        }
        return untouched;
    }

    /** One transaction: committed when work answers true, rolled back when false or on any error. */
    private void inTransaction(String what, Sql<Boolean> work) {
        withConnection(what, c -> {
            c.setAutoCommit(false);
            try {
                if (work.run(c)) {
                    c.commit();
                } else {
                    c.rollback();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException s && "22P02".equals(s.getSQLState())) {
                    throw new IllegalArgumentException("not JSON: " + s.getMessage(), s);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    private static void bindKey(PreparedStatement p, StateKind kind, String key) throws SQLException {
        if (kind == StateKind.CATALOG) {
            int at = key.lastIndexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("a catalog key is NAME@VERSION, not '" + key + "'");
            }
            p.setString(1, key.substring(0, at));
            p.setString(2, key.substring(at + 1));
        } else {
            p.setString(1, kind.name());
            p.setString(2, key);
        }
    }

    private static void notify(Connection c, String what) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            p.setString(1, what);
            p.execute();
        }
    }

    // ---- records ----

    @Override
    public void append(RecordKind kind, String key, String json) {
        withConnection("append to " + kind.name().toLowerCase(java.util.Locale.ROOT), c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO hub_records (kind, key, doc) VALUES (?, ?, ?::jsonb)")) {
                p.setString(1, kind.name());
                p.setString(2, key);
                p.setString(3, json);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<String> records(RecordKind kind, String key, int limit) {
        return withConnection("read " + kind.name().toLowerCase(java.util.Locale.ROOT), c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT doc::text FROM (SELECT id, doc FROM hub_records"
                    + " WHERE kind = ? AND (?::text IS NULL OR key = ?) ORDER BY id DESC LIMIT ?) r ORDER BY id")) {
                p.setString(1, kind.name());
                p.setString(2, key);
                p.setString(3, key);
                p.setInt(4, Math.max(0, limit));
                List<String> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Map.Entry<String, String>> recordEntries(RecordKind kind, int limit) {
        return withConnection("read " + kind.name().toLowerCase(java.util.Locale.ROOT), c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT key, doc::text FROM (SELECT id, key, doc FROM"
                    + " hub_records WHERE kind = ? ORDER BY id DESC LIMIT ?) r ORDER BY id")) {
                p.setString(1, kind.name());
                p.setInt(2, Math.max(0, limit));
                List<Map.Entry<String, String>> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(Map.entry(r.getString(1), r.getString(2)));
                    }
                }
                return out;
            }
        });
    }

    // ---- notifications ----

    @Override
    public AutoCloseable watch(Consumer<StateKind> l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    /** One connection of its own LISTENs; lost, it reconnects with back-off and tells every listener to catch up. */
    private void listen() {
        long backoff = 100;
        boolean lost = !migrated; // unreachable at start: the first connection catches up like a reconnection
        while (!closed) {
            try (Connection c = direct.getConnection()) {
                migrate(c);
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                if (lost) {
                    LOG.log(System.Logger.Level.INFO, "shared state at {0} reachable again: catching up", describe());
                    for (StateKind k : StateKind.values()) {
                        fire(k);
                    }
                    lost = false;
                }
                backoff = 100;
                org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
                while (!closed) {
                    org.postgresql.PGNotification[] n = pg.getNotifications(1000);
                    if (n != null) {
                        for (org.postgresql.PGNotification x : n) {
                            try {
                                fire(StateKind.valueOf(x.getParameter()));
                            } catch (IllegalArgumentException e) {
                                // a kind a newer hub knows: nothing of ours changed
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    LOG.log(System.Logger.Level.WARNING, "lost the shared state at {0} ({1}); serving from the cache,"
                            + " reconnecting", describe(), e.getMessage());
                }
                lost = true;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(1000, backoff * 2); // back within a second of the database
            }
        }
    }

    private void fire(StateKind kind) {
        for (Consumer<StateKind> l : listeners) {
            try {
                l.accept(kind);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a state listener failed: " + e, e);
            }
        }
    }

    // ---- plumbing ----

    /** Work on a pooled connection; any database error becomes one clear {@link StateUnavailableException}. */
    private <T> T withConnection(String what, Sql<T> work) {
        if (problem != null) {
            throw new StateUnavailableException("cannot " + what + " in the shared state: " + problem, null);
        }
        try (Connection c = pool.getConnection()) {
            migrate(c);
            return work.run(c);
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot " + what + " in the shared state at " + describe() + ": "
                    + reason(e), e);
        }
    }

    /** The driver's own words: the pool's "connection is not available" hides why (refused, no such database...). */
    private static String reason(SQLException e) {
        SQLException t = e;
        while (t.getCause() instanceof SQLException cause && cause != t && cause.getMessage() != null) {
            t = cause;
        }
        return t.getMessage();
    }

    private static String kind(StateKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** A unit of database work. */
    @FunctionalInterface
    interface Sql<T> {
        T run(Connection c) throws SQLException;
    }
}
