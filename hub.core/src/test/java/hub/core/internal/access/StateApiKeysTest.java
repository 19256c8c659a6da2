package hub.core.internal.access;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hub.api.AccessTier;
import hub.api.access.CreatedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class StateApiKeysTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void keysAreStoredAsHashesCheckedAndRevoked() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("state/api-keys.json");
        StateApiKeys keys = StateApiKeys.onFile(file);
        CreatedKey admin = keys.create(AccessTier.PROFESSIONAL, true, "ops");
        CreatedKey lite = keys.create(AccessTier.LITE, false, "");
        assertTrue(admin.secret().startsWith("vmh_" + admin.key().id() + "_"));
        assertFalse("the secret never reaches toString", admin.toString().contains(admin.secret()));
        String stored = Files.readString(file);
        assertFalse("only hashes are stored", stored.contains(admin.secret().substring(20)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        StateApiKeys serving = StateApiKeys.onFile(file); // another process's view, e.g. a serving hub
        assertEquals(AccessTier.PROFESSIONAL, serving.authenticate(admin.secret()).orElseThrow().tier());
        assertTrue(serving.authenticate(admin.secret()).orElseThrow().admin());
        assertFalse(serving.authenticate(lite.secret()).orElseThrow().admin());
        String tampered = admin.secret().substring(0, admin.secret().length() - 1)
                + (admin.secret().endsWith("A") ? "B" : "A");
        assertTrue(serving.authenticate(tampered).isEmpty());
        assertTrue(serving.authenticate("vmh_nope_nope").isEmpty());
        assertTrue(serving.authenticate(null).isEmpty());
        assertTrue(serving.authenticate("Bearer whatever").isEmpty());

        assertTrue(keys.revoke(lite.key().id()));
        assertFalse(keys.revoke(lite.key().id()));
        Thread.sleep(5);
        assertTrue("revocation reaches the other instance", serving.authenticate(lite.secret()).isEmpty());
        assertEquals(1, serving.list().size());
    }

    @Test
    public void concurrentFirstCallsAllSeeTheStoredKeys() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("state/api-keys.json");
        CreatedKey made = StateApiKeys.onFile(file).create(AccessTier.STANDARD, false, "");
        for (int round = 0; round < 20; round++) {
            StateApiKeys fresh = StateApiKeys.onFile(file); // a serving hub's first requests, all at once
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return fresh.authenticate(made.secret()).isPresent();
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Boolean> a : answers) {
                assertTrue("no caller gets the empty copy while the first read runs", a.get());
            }
            pool.shutdown();
        }
    }
}
