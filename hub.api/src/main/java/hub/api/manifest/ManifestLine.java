package hub.api.manifest;

import hub.api.ModelRef;

/**
 * What happened to one model of a manifest.
 *
 * @param ref the model version
 * @param outcome {@code downloaded}, {@code cached}, {@code present}, {@code verified}, {@code removed}...
 */
public record ManifestLine(ModelRef ref, String outcome) {
}
