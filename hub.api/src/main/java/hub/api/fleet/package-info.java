/**
 * The hubs that share one state store (a fleet on one PostgreSQL database, or the processes of one home): who is
 * serving where, with which models loaded, and whether its heartbeat is current.
 */
@Export
@Version("1.0.0")
package hub.api.fleet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
