package hub.api.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Copies the shared state between stores: an export of the store this hub uses (catalog entries, aliases, pins, API
 * key hashes, download records and alias history; not the live hubs or switches in progress) as one JSON document,
 * and its import into another (so a single machine's home moves to a fleet's database, or back).
 */
@ProviderType
public interface StateTransfer {
    /**
     * @param out where the JSON document goes
     * @return how many documents or records of each kind were written, by kind name
     * @throws IOException when out cannot be written
     * @throws StateUnavailableException when the store cannot be read
     */
    Map<String, Integer> exportState(OutputStream out) throws IOException;

    /**
     * Checks the whole document first (nothing is written from a document with a mistake), then writes each kind's
     * documents in one transaction, replacing those with the same key, and appends the records this store does not
     * have yet (importing twice adds nothing).
     *
     * @param in a document written by {@link #exportState}
     * @return how many documents or records of each kind were imported, by kind name
     * @throws IOException when in cannot be read
     * @throws IllegalArgumentException when the document is not an export of this format, naming what is wrong
     * @throws StateUnavailableException when the store cannot be written
     */
    Map<String, Integer> importState(InputStream in) throws IOException;
}
