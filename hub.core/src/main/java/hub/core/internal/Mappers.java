package hub.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The core's plain JSON mapper for its state files, made on first use: Jackson's start-up (several hundred classes) is
 * paid by the first command that reads or writes state, not by every start of the hub.
 */
public final class Mappers {
    private Mappers() {
    }

    /** @return the shared mapper (thread-safe once configured; never reconfigure it) */
    public static ObjectMapper json() {
        return Holder.MAPPER;
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
