package hub.api.access;

import hub.api.AccessTier;
import java.time.Instant;

/**
 * An API key as stored: never the secret, only what it grants.
 *
 * @param id public identifier (also the key's prefix)
 * @param tier the access tier: its own models and those of lower tiers
 * @param admin whether it may manage the hub (download, delete, register, switch, unload)
 * @param label what it is for
 * @param created when it was created
 */
public record ApiKey(String id, AccessTier tier, boolean admin, String label, Instant created) {
}
