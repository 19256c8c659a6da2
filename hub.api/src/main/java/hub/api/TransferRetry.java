package hub.api;

import java.time.Duration;

/**
 * A transfer attempt failed and another follows.
 *
 * @param ref the model version
 * @param role the artifact's role
 * @param attempt the attempt that failed, from 1
 * @param maxAttempts how many attempts there are at most
 * @param error what went wrong
 * @param delay the pause before the next attempt
 */
public record TransferRetry(ModelRef ref, String role, int attempt, int maxAttempts, String error, Duration delay) {
}
