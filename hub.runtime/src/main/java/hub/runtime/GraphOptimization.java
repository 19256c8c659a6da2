package hub.runtime;

/** ONNX Runtime's graph optimisation levels, from none to every fusion it knows ({@link #ALL}, the default). */
public enum GraphOptimization {
    /** No graph rewriting. */
    NONE,
    /** Constant folding and redundant-node removal. */
    BASIC,
    /** Basic plus complex node fusions. */
    EXTENDED,
    /** Extended plus layout optimisations. */
    ALL
}
