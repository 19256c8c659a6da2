/**
 * The loader SPI: third-party bundles register a {@link hub.api.spi.ModelLoader} whiteboard service for a model
 * family; the hub opens models through it and manages the returned {@link hub.api.spi.LoadedModel}.
 */
@Export
@Version("1.0.0")
package hub.api.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
