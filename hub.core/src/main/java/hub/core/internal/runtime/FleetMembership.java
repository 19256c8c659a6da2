package hub.core.internal.runtime;

import hub.api.fleet.HubMember;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateUnavailableException;
import hub.core.internal.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This hub's part in its fleet, through the shared state alone (no hub talks to another directly): its row in the
 * hubs table with a heartbeat, and the two sides of a fleet switch. The hub where a switch is asked for proposes it
 * ({@link #propose}); every other live hub prepares it (loads and warms the models, holding them) and reports ready or
 * why not; the proposer changes the aliases only when every live hub is ready, and otherwise nothing changes. A hub
 * whose heartbeat stopped is gone: listed as such, never waited for.
 */
final class FleetMembership implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FleetMembership.class.getName());

    /** What a hub prepared for a proposal: released when the switch is decided. */
    interface Prepared {
        /**
         * @param committed whether the aliases changed to the prepared models (else they are dropped)
         */
        void release(boolean committed);
    }

    /** The runtime side: prepare a switch's targets on this hub. */
    interface Preparer {
        /**
         * @param targets alias to {@code NAME@VERSION}
         * @param device the device asked for
         * @return what is held until the switch is decided
         * @throws RuntimeException why this hub cannot take the switch
         */
        Prepared prepare(Map<String, String> targets, String device);
    }

    /** A proposal document. */
    record Proposal(String id, String coordinator, Map<String, String> targets, String device, List<String> members,
            long created, long deadline, String state, String reason) {
    }

    /** A hub's answer to a proposal. */
    record Report(String hub, boolean ok, String error, long millis) {
    }

    /** A hub's row. */
    record Row(String id, String address, String version, long started, long heartbeat, List<String> loaded) {
    }

    private final StateStore state;
    private final Supplier<String> self;
    private final String version;
    private final Clock clock;
    private final Supplier<List<String>> loadedModels;
    private final Preparer preparer;
    private final Supplier<RuntimeConfig> config;
    /** Prepares proposals, one at a time (a load may take long). */
    private final ScheduledExecutorService worker;
    /** Writes the heartbeat, never behind a load. */
    private final ScheduledExecutorService beats;
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Semaphore changed = new Semaphore(0);
    private final AutoCloseable watching;
    private volatile String address;
    private volatile long started;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile long lastPrune;

    FleetMembership(StateStore state, Supplier<String> self, String version, Clock clock, Supplier<List<String>> loadedModels,
            Preparer preparer, Supplier<RuntimeConfig> config) {
        this.state = state;
        this.self = self;
        this.version = version;
        this.clock = clock;
        this.loadedModels = loadedModels;
        this.preparer = preparer;
        this.config = config;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-fleet");
            t.setDaemon(true);
            return t;
        });
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hub-fleet-heartbeat");
            t.setDaemon(true);
            return t;
        });
        this.watching = state.watch(kind -> {
            if (kind == StateKind.SWITCHES) {
                changed.release();
                if (address != null) {
                    worker.execute(this::followProposals);
                }
            }
        });
    }

    String self() {
        return self.get();
    }

    // ---- the hubs table ----

    List<HubMember> members() {
        long now = clock.millis();
        long gone = goneAfterMillis();
        List<HubMember> out = new ArrayList<>();
        for (Row r : rows().values()) {
            out.add(new HubMember(r.id(), r.address(), r.version(), Instant.ofEpochMilli(r.started()),
                    Instant.ofEpochMilli(r.heartbeat()), r.loaded() == null ? List.of() : r.loaded(),
                    now - r.heartbeat() <= gone));
        }
        out.sort(Comparator.comparing((HubMember m) -> !m.live()).thenComparing(HubMember::id));
        return out;
    }

    private Map<String, Row> rows() {
        Map<String, Row> out = new LinkedHashMap<>();
        state.documents(StateKind.HUBS).forEach((id, doc) -> {
            try {
                out.put(id, Mappers.json().readValue(doc, Row.class));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "ignoring the unreadable row of hub {0}: {1}", id, e.getMessage());
            }
        });
        return out;
    }

    private long goneAfterMillis() {
        RuntimeConfig c = config.get();
        return TimeUnit.SECONDS.toMillis(Math.max(Math.max(1, c.fleetHeartbeatSeconds()) * 2L,
                c.fleetGoneAfterSeconds()));
    }

    synchronized AutoCloseable join(String at) {
        if (address != null) {
            throw new IllegalStateException("this hub already serves at " + address);
        }
        started = clock.millis();
        beat(at); // a hub that cannot reach its fleet's state does not serve: this throws
        address = at;
        long every = TimeUnit.SECONDS.toMillis(Math.max(1, config.get().fleetHeartbeatSeconds()));
        heartbeat = beats.scheduleWithFixedDelay(() -> {
            try {
                beat(at);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "heartbeat not written: {0}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        worker.execute(this::followProposals);
        LOG.log(Level.INFO, "hub {0} joined the fleet at {1} ({2})", self(), at, state.describe());
        return this::leave;
    }

    private void beat(String at) {
        long now = clock.millis();
        Map<String, String> puts = Map.of(self(), json(new Row(self(), at, version, started, now, loadedModels.get())));
        Set<String> prune = new TreeSet<>();
        if (now - lastPrune >= TimeUnit.HOURS.toMillis(1)) { // at join, then hourly: rows of hubs gone for a day
            lastPrune = now;
            rows().forEach((id, r) -> {
                if (!id.equals(self()) && now - r.heartbeat() > TimeUnit.DAYS.toMillis(1)) {
                    prune.add(id);
                }
            });
        }
        state.write(StateKind.HUBS, puts, prune);
    }

    private synchronized void leave() {
        if (address == null) {
            return;
        }
        address = null;
        ScheduledFuture<?> h = heartbeat;
        if (h != null) {
            h.cancel(false);
        }
        heartbeat = null;
        try {
            state.write(StateKind.HUBS, Map.of(), Set.of(self()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "hub {0} could not remove its row: {1}", self(), e.getMessage());
        }
    }

    @Override
    public void close() {
        leave();
        try {
            watching.close();
        } catch (Exception e) {
            // nothing to do
        }
        worker.shutdownNow();
        beats.shutdownNow();
        prepared.values().forEach(p -> p.release(false));
        prepared.clear();
    }

    // ---- proposing ----

    /** A switch this hub proposed to the others. */
    final class Proposed {
        private final Proposal proposal;
        private final Map<String, String> addresses;

        private Proposed(Proposal proposal, Map<String, String> addresses) {
            this.proposal = proposal;
            this.addresses = addresses;
        }

        /**
         * Waits until every hub asked has answered, one refused, the deadline passed, or the hubs not answering are
         * gone.
         *
         * @return why hubs cannot take the switch, one line each (empty: all ready)
         */
        List<String> await() {
            List<String> failures = new ArrayList<>();
            Set<String> waiting = new TreeSet<>(proposal.members());
            while (true) {
                changed.drainPermits();
                Map<String, String> docs;
                Map<String, Row> rows;
                try {
                    docs = state.documents(StateKind.SWITCHES);
                    rows = rows();
                } catch (StateUnavailableException e) {
                    failures.add("the shared state: " + e.getMessage());
                    return failures;
                }
                for (String hub : List.copyOf(waiting)) {
                    String doc = docs.get(proposal.id() + "/" + hub);
                    if (doc != null) {
                        Report r = read(doc, Report.class);
                        waiting.remove(hub);
                        if (r == null || !r.ok()) {
                            failures.add("hub " + hub + " (" + addresses.get(hub) + "): "
                                    + (r == null ? "unreadable report" : r.error()));
                        }
                        continue;
                    }
                    Row row = rows.get(hub);
                    if (row == null || clock.millis() - row.heartbeat() > goneAfterMillis()) {
                        waiting.remove(hub); // gone: not waited for
                        LOG.log(Level.WARNING, "switch {0}: hub {1} is gone, not waiting for it", proposal.id(), hub);
                    }
                }
                if (!failures.isEmpty() || waiting.isEmpty()) {
                    return failures;
                }
                long left = proposal.deadline() - clock.millis();
                if (left <= 0) {
                    for (String hub : waiting) {
                        failures.add("hub " + hub + " (" + addresses.get(hub) + "): not ready within "
                                + Duration.ofMillis(proposal.deadline() - proposal.created()).toSeconds() + " s");
                    }
                    return failures;
                }
                try {
                    changed.tryAcquire(Math.min(left, 250), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add("interrupted while waiting for the fleet");
                    return failures;
                }
            }
        }

        /**
         * Records the outcome (the aliases were written by then, or never will be); the proposal's documents are
         * removed once every hub had time to see it.
         *
         * @param committed whether the aliases changed
         * @param reason why not, or null
         */
        void decide(boolean committed, String reason) {
            Proposal p = proposal;
            Proposal done = new Proposal(p.id(), p.coordinator(), p.targets(), p.device(), p.members(), p.created(),
                    p.deadline(), committed ? "committed" : "aborted", reason);
            try {
                Map<String, String> docs = state.documents(StateKind.SWITCHES);
                Set<String> old = new TreeSet<>();
                long now = clock.millis();
                docs.forEach((k, v) -> {
                    if (!k.contains("/")) {
                        Proposal o = read(v, Proposal.class);
                        if (o != null && now - o.deadline() > TimeUnit.MINUTES.toMillis(10)) {
                            old.add(k);
                        }
                    }
                });
                docs.keySet().stream().filter(k -> k.contains("/") && old.contains(k.substring(0, k.indexOf('/'))))
                        .forEach(old::add);
                state.write(StateKind.SWITCHES, Map.of(p.id(), json(done)), old);
            } catch (StateUnavailableException e) {
                // the hubs release what they prepared at the deadline anyway
                LOG.log(Level.WARNING, "switch {0}: outcome not recorded: {1}", p.id(), e.getMessage());
            }
        }
    }

    /**
     * Asks every other live hub to prepare a switch.
     *
     * @param targets alias to {@code NAME@VERSION}
     * @param device the device asked for
     * @return the proposal to wait on, or null when no other hub is live (a hub alone switches by itself)
     */
    Proposed propose(Map<String, String> targets, String device) {
        long now = clock.millis();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (HubMember m : members()) {
            if (m.live() && !m.id().equals(self())) {
                addresses.put(m.id(), m.address());
            }
        }
        if (addresses.isEmpty()) {
            return null;
        }
        long timeout = TimeUnit.SECONDS.toMillis(Math.max(1, config.get().fleetSwitchTimeoutSeconds()));
        Proposal p = new Proposal(UUID.randomUUID().toString(), self(), targets, device, List.copyOf(addresses.keySet()),
                now, now + timeout, "preparing", null);
        state.write(StateKind.SWITCHES, Map.of(p.id(), json(p)), Set.of());
        LOG.log(Level.INFO, "switch {0}: asking hubs {1} to prepare {2}", p.id(), addresses.keySet(), targets);
        return new Proposed(p, addresses);
    }

    // ---- following ----

    /** On the fleet thread: prepare new proposals addressed to this hub, release decided or expired ones. */
    private void followProposals() {
        if (address == null) {
            return;
        }
        Map<String, String> docs;
        try {
            docs = state.documents(StateKind.SWITCHES);
        } catch (StateUnavailableException e) {
            LOG.log(Level.WARNING, "cannot read the fleet''s switches: {0}", e.getMessage());
            return;
        }
        long now = clock.millis();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            if (e.getKey().contains("/")) {
                continue;
            }
            Proposal p = read(e.getValue(), Proposal.class);
            if (p == null || !p.members().contains(self()) || !"preparing".equals(p.state()) || now >= p.deadline()
                    || !handled.add(p.id())) {
                continue;
            }
            long t0 = System.nanoTime();
            Report r;
            try {
                prepared.put(p.id(), preparer.prepare(p.targets(), p.device()));
                r = new Report(self(), true, null, (System.nanoTime() - t0) / 1_000_000);
                LOG.log(Level.INFO, "switch {0} from hub {1}: ready in {2} ms", p.id(), p.coordinator(), r.millis());
            } catch (RuntimeException ex) {
                r = new Report(self(), false, ex.getMessage() == null ? ex.toString() : ex.getMessage(),
                        (System.nanoTime() - t0) / 1_000_000);
                LOG.log(Level.WARNING, "switch {0} from hub {1}: cannot prepare: {2}", p.id(), p.coordinator(),
                        r.error());
            }
            try {
                state.write(StateKind.SWITCHES, Map.of(p.id() + "/" + self(), json(r)), Set.of());
            } catch (StateUnavailableException ex) {
                LOG.log(Level.WARNING, "switch {0}: cannot report: {1}", p.id(), ex.getMessage());
            }
        }
        for (String id : List.copyOf(prepared.keySet())) {
            Proposal p = docs.containsKey(id) ? read(docs.get(id), Proposal.class) : null;
            boolean decided = p == null || !"preparing".equals(p.state());
            boolean expired = p != null && now >= p.deadline();
            if (decided || expired) {
                Prepared held = prepared.remove(id);
                if (held != null) {
                    held.release(p != null && "committed".equals(p.state()));
                }
            }
        }
        if (!prepared.isEmpty()) { // look again at the deadline even if no one writes
            worker.schedule(this::followProposals, 1, TimeUnit.SECONDS);
        }
    }

    // ---- JSON ----

    private static String json(Object o) {
        try {
            return Mappers.json().writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String doc, Class<T> type) {
        try {
            return Mappers.json().readValue(doc, type);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "ignoring an unreadable fleet document: {0}", e.getMessage());
            return null;
        }
    }

}
