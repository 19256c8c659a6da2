/**
 * The hub's one request path for tasks on images: {@link hub.api.inference.Inference} resolves the model (an explicit
 * reference or the task's alias) once, takes one lease, checks the caller's access against the leased model, bounds
 * the memory decoding may take, runs the task and returns typed results. Every surface (shell, command line, HTTP,
 * benchmarks, plug-ins) runs tasks through it.
 */
@Export
@Version("1.2.0")
package hub.api.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
