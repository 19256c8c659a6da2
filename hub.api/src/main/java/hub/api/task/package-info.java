/**
 * Typed task interfaces a loaded model offers (detection, classification, text reading, faces, image embedding)
 * and their result records, and the raw tensors of a model's graph ({@link hub.api.task.TensorModel}).
 */
@Export
@Version("1.1.0")
package hub.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
