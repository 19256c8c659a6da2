package hub.api;

/**
 * The device a request resolves to.
 *
 * @param requested what the caller asked for
 * @param device what will be used (never AUTO)
 * @param reason why, including a fallback's cause
 * @param fallback whether the device differs from an explicit request
 */
public record DeviceSelection(Device requested, Device device, String reason, boolean fallback) {
}
