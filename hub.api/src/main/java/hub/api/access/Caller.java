package hub.api.access;

import hub.api.AccessTier;
import java.util.Objects;

/**
 * Who asks: what the hub's one request path checks every operation against.
 *
 * @param id who it is, for messages and logs (an API key id, or {@code owner} for the home's own user)
 * @param tier the access tier: models of this tier and lower ones
 * @param admin the admin role: may manage the hub (register, delete, switch, unload, pin, watch jobs)
 * @param mayFetch whether its requests may cause model bytes to be downloaded (or re-hashed)
 * @param localFiles whether it may name files of this machine ({@code file:} sources) anywhere: the home's own user
 *        may; a remote caller only under the configured roots
 */
public record Caller(String id, AccessTier tier, boolean admin, boolean mayFetch, boolean localFiles) {
    /** Requires an id and a tier. */
    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
    }

    /**
     * The user who owns the hub home (the command line, the shell, a plug-in in the same process): every tier, the
     * admin role, and fetching.
     *
     * @return the owner
     */
    public static Caller owner() {
        return new Caller("owner", AccessTier.PROFESSIONAL, true, true, true);
    }

    /**
     * A caller with an API key: its tier and role; only an admin key may cause downloads.
     *
     * @param key the authenticated key
     * @return the caller
     */
    public static Caller of(ApiKey key) {
        return new Caller(key.id(), key.tier(), key.admin(), key.admin(), false);
    }
}
