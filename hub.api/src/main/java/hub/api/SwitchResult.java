package hub.api;

import java.time.Duration;
import java.util.Map;

/**
 * What a switch did.
 *
 * @param previous each switched alias's model before the switch (absent when the alias was unset)
 * @param active every alias after the switch
 * @param warmUp warm-up time of each newly activated model
 */
public record SwitchResult(Map<String, ModelRef> previous, Map<String, ModelRef> active, Map<ModelRef, Duration> warmUp) {
    /** Freezes the maps. */
    public SwitchResult {
        previous = Map.copyOf(previous);
        active = Map.copyOf(active);
        warmUp = Map.copyOf(warmUp);
    }
}
