package hub.core.internal.runtime;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hub.api.fleet.HubMember;
import hub.api.state.StateKind;
import hub.core.internal.Configs;
import hub.core.internal.state.FileStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The fleet's protocol through a real (files) state store shared by three members, each with its own store object. */
public class FleetMembershipTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<String> prepared = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();

    private FleetMembership member(Path home, String id, String refuse) {
        RuntimeConfig config = Configs.of(RuntimeConfig.class, Map.of("fleetSwitchTimeoutSeconds", 10));
        return new FleetMembership(new FileStateStore(home.resolve("catalog"), home.resolve("state")), () -> id, "test",
                Clock.systemUTC(), () -> List.of("m@1 (cpu)"), (targets, device) -> {
                    if (refuse != null) {
                        throw new IllegalStateException(refuse);
                    }
                    prepared.add(id + " " + targets);
                    return committed -> released.add(id + (committed ? " committed" : " aborted"));
                }, () -> config);
    }

    @Test
    public void aSwitchIsPreparedByEveryLiveHubAndAnyRefusalNamesTheHub() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        try (FleetMembership a = member(home, "a", null); FleetMembership b = member(home, "b", null);
                FleetMembership c = member(home, "c", "no loader for family 'detection'")) {
            assertNull("alone: no one to ask", a.propose(Map.of("detector", "m@2"), "auto"));
            try (AutoCloseable jb = b.join("http://b"); AutoCloseable jc = c.join("http://c")) {
                List<HubMember> members = a.members();
                assertEquals(List.of("b", "c"), members.stream().map(HubMember::id).toList());
                assertTrue(members.stream().allMatch(HubMember::live));
                assertEquals(List.of("m@1 (cpu)"), members.get(0).loaded());

                FleetMembership.Proposed p = a.propose(Map.of("detector", "m@2"), "auto");
                List<String> failures = p.await();
                assertEquals(List.of("hub c (http://c): no loader for family 'detection'"), failures);
                p.decide(false, failures.get(0));
                // b may have prepared before the refusal came (then it drops it) or not at all (then it never will)
                Thread.sleep(500);
                long t0 = System.nanoTime();
                while (released.size() < prepared.size() && System.nanoTime() - t0 < 5_000_000_000L) {
                    Thread.sleep(20);
                }
                assertEquals(prepared.isEmpty() ? List.of() : List.of("b aborted"), released);
                assertTrue(prepared.toString(), prepared.isEmpty() || prepared.equals(List.of("b {detector=m@2}")));
            }
            // c left: b alone prepares the next one, and hears it was committed
            try (AutoCloseable jb = b.join("http://b")) {
                FleetMembership.Proposed p = a.propose(Map.of("face", "f@1"), "cpu");
                assertEquals(List.of(), p.await());
                p.decide(true, null);
                long t0 = System.nanoTime();
                while (!released.contains("b committed")) {
                    assertTrue("b keeps what it prepared", System.nanoTime() - t0 < 5_000_000_000L);
                    Thread.sleep(20);
                }
            }
        }
    }

    @Test
    public void aHubWhoseHeartbeatStoppedIsGoneAndNotAsked() throws Exception {
        Path home = tmp.newFolder("home").toPath();
        FileStateStore store = new FileStateStore(home.resolve("catalog"), home.resolve("state"));
        long old = System.currentTimeMillis() - 60_000;
        store.write(StateKind.HUBS, Map.of("dead", "{\"id\": \"dead\", \"address\": \"http://dead\", \"version\": \"1\","
                + " \"started\": " + old + ", \"heartbeat\": " + old + ", \"loaded\": []}"), Set.of());
        try (FleetMembership a = member(home, "a", null)) {
            List<HubMember> members = a.members();
            assertEquals(1, members.size());
            assertFalse(members.get(0).live());
            assertNull("no live hub to ask", a.propose(Map.of("detector", "m@2"), "auto"));
        }
    }
}
