/**
 * The storage boundary for state several hubs may share: custom catalog entries, aliases, persistent pins, API keys,
 * live hubs, mirrors (documents by kind and key) and download records and alias history (append-only records), with change
 * notifications. Two implementations, chosen by configuration: files in the hub home (the default) and PostgreSQL
 * (for fleets). Documents are JSON text, so no storage or JSON library type appears here.
 */
@Export
@Version("1.2.0")
package hub.api.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
