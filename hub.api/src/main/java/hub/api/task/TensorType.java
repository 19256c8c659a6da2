package hub.api.task;

import java.util.Locale;

/**
 * Element types of a tensor, named as the Open Inference Protocol names them. Fixed-size elements are stored
 * little-endian; a {@link #BYTES} element is a 4-byte little-endian length followed by that many bytes.
 */
public enum TensorType {
    /** One byte, 0 or 1. */
    BOOL(1),
    /** Unsigned 8-bit integer. */
    UINT8(1),
    /** Unsigned 16-bit integer. */
    UINT16(2),
    /** Unsigned 32-bit integer. */
    UINT32(4),
    /** Unsigned 64-bit integer. */
    UINT64(8),
    /** Signed 8-bit integer. */
    INT8(1),
    /** Signed 16-bit integer. */
    INT16(2),
    /** Signed 32-bit integer. */
    INT32(4),
    /** Signed 64-bit integer. */
    INT64(8),
    /** IEEE 754 half precision. */
    FP16(2),
    /** IEEE 754 single precision. */
    FP32(4),
    /** IEEE 754 double precision. */
    FP64(8),
    /** Byte strings of any length (text, encoded images). */
    BYTES(-1);

    private final int size;

    TensorType(int size) {
        this.size = size;
    }

    /** @return bytes per element, or -1 for {@link #BYTES} */
    public int size() {
        return size;
    }

    /**
     * @param name a datatype name ({@code FP32}, {@code fp32}...)
     * @return the type
     * @throws IllegalArgumentException naming the known types
     */
    public static TensorType of(String name) {
        try {
            return valueOf(String.valueOf(name).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown datatype '" + name + "' (BOOL, UINT8, UINT16, UINT32, UINT64,"
                    + " INT8, INT16, INT32, INT64, FP16, FP32, FP64 or BYTES)");
        }
    }
}
