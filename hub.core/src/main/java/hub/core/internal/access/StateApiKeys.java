package hub.core.internal.access;

import hub.core.internal.Mappers;
import com.fasterxml.jackson.core.type.TypeReference;
import hub.api.AccessTier;
import hub.api.access.ApiKey;
import hub.api.access.ApiKeys;
import hub.api.access.CreatedKey;
import hub.core.internal.home.HubHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateUnavailableException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * API keys in the shared state (kind {@code KEYS}: in the home's owner-only {@code state/api-keys.json}, or a fleet's
 * database): per key its id, tier, role, label, creation time and the SHA-256 of its secret. A key is
 * {@code vmh_ID_SECRET} with 256 random bits of secret, so a plain hash is enough (no slow hash is needed for keys
 * nobody can guess); it is compared in constant time and never logged. This hub keeps a copy, refreshed when the store
 * says the keys changed (here, in another process, or on another hub), so a key created or revoked anywhere counts
 * everywhere at once; while the store is unreachable the copy keeps authenticating.
 */
@Component(service = ApiKeys.class)
public class StateApiKeys implements ApiKeys {
    private static final System.Logger LOG = System.getLogger(StateApiKeys.class.getName());
    private static final String PREFIX = "vmh_";
    private final StateStore store;
    private final hub.core.internal.state.StateCopy<Map<String, Stored>> keys;
    private final SecureRandom random = new SecureRandom();

    /** What the store keeps per key. */
    public record Stored(String id, String tier, boolean admin, String label, String created, String sha256) {
    }

    /**
     * @param store the shared state
     */
    @Activate
    public StateApiKeys(@Reference(target = hub.core.internal.state.FileStateStore.SELECTED)
            StateStore store) {
        this.store = store;
        this.keys = new hub.core.internal.state.StateCopy<>(store, StateKind.KEYS, Map.of(), docs -> {
            Map<String, Stored> m = new LinkedHashMap<>();
            for (String doc : docs.values()) {
                try {
                    Stored s = Mappers.json().readValue(doc, Stored.class);
                    m.put(s.id(), s);
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable API key record: " + e.getMessage(), e);
                }
            }
            return Map.copyOf(m);
        }, null);
    }

    /**
     * Keys in a home's {@code state/api-keys.json} (tests and tools).
     *
     * @param file the keys file
     * @return the keys
     */
    public static StateApiKeys onFile(Path file) {
        return new StateApiKeys(
                new hub.core.internal.state.FileStateStore(file.getParent().resolveSibling("catalog"), file.getParent()));
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() throws Exception {
        keys.close();
    }

    private void put(Stored s) {
        try {
            store.write(StateKind.KEYS, Map.of(s.id(), Mappers.json().writeValueAsString(s)), Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.invalidate();
    }

    @Override
    public synchronized CreatedKey create(AccessTier tier, boolean admin, String label) {
        if (tier == null) {
            throw new IllegalArgumentException("a key needs a tier (lite, standard, professional)");
        }
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Instant now = Instant.now();
        put(new Stored(id, tier.id(), admin, label == null ? "" : label, now.toString(), sha256(secret)));
        return new CreatedKey(new ApiKey(id, tier, admin, label == null ? "" : label, now), secret);
    }

    @Override
    public List<ApiKey> list() {
        return keys.get().values().stream().map(StateApiKeys::key).toList();
    }

    @Override
    public synchronized boolean revoke(String id) {
        if (store.document(StateKind.KEYS, id).isEmpty()) {
            return false;
        }
        store.write(StateKind.KEYS, Map.of(), Set.of(id));
        keys.invalidate();
        return true;
    }

    @Override
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        int sep = secret.indexOf('_', PREFIX.length());
        if (sep < 0) {
            return Optional.empty();
        }
        Stored s = keys.get().get(secret.substring(PREFIX.length(), sep));
        byte[] expected = HexFormat.of().parseHex(s == null ? "00".repeat(32) : s.sha256());
        byte[] actual = HexFormat.of().parseHex(sha256(secret));
        // constant time whatever the key: a missing id still compares against a dummy hash
        boolean ok = MessageDigest.isEqual(expected, actual) && s != null;
        return ok ? Optional.of(key(s)) : Optional.empty();
    }

    private static ApiKey key(Stored s) {
        return new ApiKey(s.id(), AccessTier.parse(s.tier()), s.admin(), s.label(), Instant.parse(s.created()));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
