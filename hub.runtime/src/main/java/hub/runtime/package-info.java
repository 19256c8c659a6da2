/**
 * The inference-runtime service: the one ONNX Runtime environment of the process, sessions opened from a loader's
 * {@link hub.api.spi.LoadRequest} with the configured device settings, and the execution providers on offer. Loader
 * bundles import this package together with {@code ai.onnxruntime}, which this bundle exports.
 */
@Export
@Version("1.3.0")
package hub.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
