package hub.core.internal.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Model runtime settings (PID {@code hub.runtime}). */
@ObjectClassDefinition(name = "Hub model runtime", description = "Loading, memory budgets, idle unloading")
public @interface RuntimeConfig {
    /** @return threads inside one operator, 0 for ONNX Runtime's default */
    @AttributeDefinition(description = "Intra-op threads per model session (0: runtime default)")
    int intraOpThreads() default 0;

    /** @return threads across operators, 0 for ONNX Runtime's default */
    @AttributeDefinition(description = "Inter-op threads per model session (0: runtime default)")
    int interOpThreads() default 0;

    /** @return memory budget of CPU models in MB; 0 means 60% of physical memory */
    @AttributeDefinition(description = "CPU model memory budget in MB (0: 60% of physical memory)")
    long cpuBudgetMb() default 0;

    /** @return memory budget of GPU models in MB; 0 means no budget */
    @AttributeDefinition(description = "GPU model memory budget in MB (0: none)")
    long gpuBudgetMb() default 0;

    /** @return minutes before an unused GPU model is unloaded */
    @AttributeDefinition(description = "Idle minutes before a GPU model is unloaded")
    double idleTimeoutGpuMinutes() default 10;

    /** @return minutes before an unused CPU model is unloaded */
    @AttributeDefinition(description = "Idle minutes before a CPU model is unloaded")
    double idleTimeoutCpuMinutes() default 30;

    /** @return per-model keep-alive overrides, {@code name[@version]=minutes} */
    @AttributeDefinition(description = "Per-model idle timeouts: name[@version]=minutes")
    String[] keepAlive() default {};

    /** @return models idle unloading and memory pressure never unload */
    @AttributeDefinition(description = "Models never unloaded for idleness or memory pressure: name[@version]")
    String[] pinned() default {};

    /** @return fraction of physical memory used by the process above which idle models are unloaded */
    @AttributeDefinition(description = "Process memory fraction that triggers unloading idle models")
    double memoryPressureThreshold() default 0.85;

    /** @return seconds between idle and memory-pressure sweeps */
    @AttributeDefinition(description = "Seconds between idle and memory-pressure sweeps")
    int sweepIntervalSeconds() default 15;

    /** @return models opened at the same time at most (file reads, session creation, warm-up) */
    @AttributeDefinition(description = "Model loads running at the same time at most; more wait their turn")
    int maxConcurrentLoads() default 2;

    /**
     * @return what the aliases point to in a home where none was ever switched, {@code alias=name@version}; the
     *         models are downloaded on first use
     */
    @AttributeDefinition(description = "Aliases of a new home: alias=name@version (detector, classifier, ocr, face, embedder)")
    String[] defaultAliases() default {"detector=yolov8n@8.2.0", "classifier=mobilenetv2@12", "ocr=pp-ocrv4-v3rec@1.2.2",
        "face=yunet@2023mar", "embedder=mobilenetv2-embed@7"};

    /** @return seconds between a serving hub's heartbeats in the fleet's hubs table */
    @AttributeDefinition(description = "Seconds between a serving hub's heartbeats (hub fleet)")
    int fleetHeartbeatSeconds() default 2;

    /** @return seconds without a heartbeat after which a hub is gone: listed as such, not waited for by a switch */
    @AttributeDefinition(description = "Seconds without a heartbeat after which a hub counts as gone")
    int fleetGoneAfterSeconds() default 10;

    /** @return seconds every live hub has to load and warm a switch's models before the switch is called off */
    @AttributeDefinition(description = "Seconds every live hub has to prepare a fleet switch before it is called off")
    int fleetSwitchTimeoutSeconds() default 120;
}
