package hub.http.internal;

import hub.api.HubException;
import hub.api.InvalidDescriptorException;
import hub.api.LoaderUnavailableException;
import hub.api.ModelConflictException;
import hub.api.ModelNotFoundException;
import hub.api.SwitchException;
import java.util.List;

/** An HTTP error answer: status, a stable code, a message, and details (a switch's failures). */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final List<String> details;

    ApiError(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    ApiError(int status, String code, String message, List<String> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    /** The HTTP form of what a service threw. */
    static ApiError of(RuntimeException e) {
        if (e instanceof ApiError a) {
            return a;
        }
        if (e instanceof hub.api.access.AccessDeniedException d) {
            return new ApiError(403, d.code(), d.getMessage());
        }
        if (e instanceof hub.api.ModelNotCachedException n) {
            return new ApiError(409, n.code(), n.getMessage());
        }
        if (e instanceof hub.api.inference.ImageTooLargeException t) {
            return new ApiError(413, t.code(), t.getMessage());
        }
        if (e instanceof hub.api.inference.UnreadableImagesException u) {
            return new ApiError(400, u.code(), u.getMessage(), u.details());
        }
        if (e instanceof hub.api.inference.CapacityException c) {
            return new ApiError(503, c.code(), c.getMessage());
        }
        if (e instanceof SwitchException s) {
            return new ApiError(400, s.code(), s.getMessage(), s.failures());
        }
        if (e instanceof ModelNotFoundException m) {
            return new ApiError(404, m.code(), m.getMessage());
        }
        if (e instanceof InvalidDescriptorException d) {
            return new ApiError(400, d.code(), d.getMessage());
        }
        if (e instanceof ModelConflictException c) {
            return new ApiError(409, c.code(), c.getMessage());
        }
        if (e instanceof hub.api.state.StateUnavailableException u) {
            return new ApiError(503, u.code(), u.getMessage());
        }
        if (e instanceof LoaderUnavailableException l) {
            return new ApiError(503, l.code(), l.getMessage());
        }
        if (e instanceof hub.api.plugin.PluginException p) {
            return new ApiError(hub.api.plugin.PluginException.NOT_FOUND.equals(p.code()) ? 404 : 400, p.code(), p.getMessage());
        }
        if (e instanceof HubException h) {
            int status = switch (h.exitCode()) {
                case 3, 8 -> 404;
                case 4, 10 -> 400;
                case 5, 9 -> 502;
                case 7 -> 409;
                default -> 500;
            };
            return new ApiError(status, h.code(), h.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiError(400, "bad_request", e.getMessage());
        }
        return new ApiError(500, "internal", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
}
