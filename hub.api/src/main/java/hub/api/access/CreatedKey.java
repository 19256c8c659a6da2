package hub.api.access;

/**
 * A key just created: the only time its secret exists outside the caller.
 *
 * @param key what was stored
 * @param secret the full key to hand to the client; the hub keeps only its hash
 */
public record CreatedKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedKey[" + key + ", secret=***]";
    }
}
