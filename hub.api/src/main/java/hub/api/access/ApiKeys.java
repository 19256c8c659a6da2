package hub.api.access;

import hub.api.AccessTier;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** API keys: created with a tier and role, stored as hashes, checked in constant time, revoked by id. */
@ProviderType
public interface ApiKeys {
    /**
     * @param tier the access tier
     * @param admin the admin role
     * @param label what the key is for (may be empty)
     * @return the stored key and its secret, shown once
     */
    CreatedKey create(AccessTier tier, boolean admin, String label);

    /** @return every key, without secrets */
    List<ApiKey> list();

    /**
     * @param id a key id
     * @return whether it existed
     */
    boolean revoke(String id);

    /**
     * @param secret a full key as a client presents it (may be null or malformed)
     * @return the key it belongs to, if valid
     */
    Optional<ApiKey> authenticate(String secret);
}
