package hub.api.fleet;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hubs sharing this hub's state. A serving hub joins with its address and reports a heartbeat until it leaves;
 * a switch of aliases made on any hub or process is prepared by every live hub before the aliases change.
 */
@ProviderType
public interface Fleet {
    /** @return this hub's id */
    String self();

    /** @return where the shared state is, for people (never a password) */
    String store();

    /**
     * @return every hub registered in the shared state, live ones first, then by id
     * @throws hub.api.state.StateUnavailableException when the shared state cannot be read
     */
    List<HubMember> members();

    /**
     * Joins the fleet: this hub reports itself (address, version, loaded models) until the returned handle is
     * closed, and prepares the switches other hubs propose.
     *
     * @param address where this hub serves its HTTP API
     * @return closing it leaves the fleet
     * @throws hub.api.state.StateUnavailableException when the shared state cannot be written: a hub that cannot
     *         reach its fleet's state does not serve
     */
    AutoCloseable join(String address);
}
