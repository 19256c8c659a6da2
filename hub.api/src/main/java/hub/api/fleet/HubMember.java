package hub.api.fleet;

import java.time.Instant;
import java.util.List;

/**
 * One hub of the fleet, as it last reported itself.
 *
 * @param id the hub's id (stable for its home)
 * @param address where it serves its HTTP API
 * @param version the hub's version
 * @param started when it joined
 * @param heartbeat when it last reported
 * @param loaded the models it had loaded then, {@code NAME@VERSION (device)}
 * @param live whether its heartbeat is current; a hub that stopped reporting is gone and no switch waits for it
 */
public record HubMember(String id, String address, String version, Instant started, Instant heartbeat,
        List<String> loaded, boolean live) {
    /** Copies the list. */
    public HubMember {
        loaded = List.copyOf(loaded);
    }
}
