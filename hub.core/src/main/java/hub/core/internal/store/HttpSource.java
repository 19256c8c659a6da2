package hub.core.internal.store;

import hub.api.ArtifactException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Locale;

/**
 * One HTTP GET with the hub's rules: redirects followed by hand up to a limit (no https-to-http downgrade unless
 * plain http is allowed, and the bearer token dropped when the host changes), connect and read timeouts, and an
 * optional range with its {@code If-Range} validator.
 */
final class HttpSource {
    /** A response whose body the caller must close. */
    record Response(int status, InputStream body, long contentLength, String etag, String lastModified,
            long rangeStart, URI finalUri, HttpURLConnection connection) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (body != null) {
                    body.close();
                }
            } catch (IOException e) {
                // closing a dropped connection
            } finally {
                connection.disconnect();
            }
        }
    }

    private final int timeoutMillis;
    private final int maxRedirects;
    private final boolean allowHttp;

    HttpSource(int timeoutMillis, int maxRedirects, boolean allowHttp) {
        this.timeoutMillis = timeoutMillis;
        this.maxRedirects = maxRedirects;
        this.allowHttp = allowHttp;
    }

    Response get(URI start, String bearerToken, long offset, String validator) throws IOException {
        URI uri = start;
        String token = bearerToken;
        for (int hop = 0; hop <= maxRedirects; hop++) {
            checkScheme(uri, start);
            URL url = uri.toURL();
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            c.setRequestProperty("User-Agent", "vision-model-hub");
            c.setRequestProperty("Accept-Encoding", "identity");
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
                if (validator != null) {
                    c.setRequestProperty("If-Range", validator);
                }
            }
            int status = c.getResponseCode();
            if (status >= 300 && status < 400 && status != 304) {
                String location = c.getHeaderField("Location");
                c.disconnect();
                if (location == null) {
                    throw new ArtifactException("HTTP " + status + " without Location from " + SourceFetcher.redact(uri), null);
                }
                URI next = uri.resolve(location);
                if (token != null && !sameHost(uri, next)) {
                    token = null; // credentials never follow a redirect to another host (a CDN, say)
                }
                uri = next;
                continue;
            }
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            long rangeStart = 0;
            String cr = c.getHeaderField("Content-Range");
            if (status == 206 && cr != null && cr.toLowerCase(Locale.ROOT).startsWith("bytes ")) {
                String spec = cr.substring(6);
                int dash = spec.indexOf('-');
                rangeStart = dash > 0 ? Long.parseLong(spec.substring(0, dash).trim()) : -1;
            }
            return new Response(status, body, c.getContentLengthLong(), c.getHeaderField("ETag"),
                    c.getHeaderField("Last-Modified"), rangeStart, uri, c);
        }
        throw new ArtifactException("too many redirects (more than " + maxRedirects + ") starting at "
                + SourceFetcher.redact(start), null);
    }

    private void checkScheme(URI uri, URI start) {
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (s.equals("https")) {
            return;
        }
        if (s.equals("http") && allowHttp) {
            return;
        }
        if (s.equals("http")) {
            throw new ArtifactException("plain http " + (uri.equals(start) ? "source " : "redirect to ")
                    + SourceFetcher.redact(uri) + " refused: set allowHttp=true in hub.store configuration to allow it",
                    null);
        }
        throw new ArtifactException("unsupported redirect target " + SourceFetcher.redact(uri), null);
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }
}
