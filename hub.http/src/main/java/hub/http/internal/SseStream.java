package hub.http.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** One client's Server-Sent Events stream, on an asynchronous request that stays open until either side ends it. */
final class SseStream {
    private final AsyncContext async;
    private final PrintWriter out;
    private volatile boolean open = true;

    SseStream(AsyncContext async) throws IOException {
        this.async = async;
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        async.setTimeout(0);
        this.out = response.getWriter();
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                open = false;
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                open = false;
            }

            @Override
            public void onError(AsyncEvent event) {
                open = false;
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        out.write(": connected\n\n");
        out.flush();
    }

    boolean open() {
        return open;
    }

    /** Sends one event; a stream whose client has gone is closed. */
    synchronized boolean send(String event, String json) {
        if (!open) {
            return false;
        }
        out.write("event: " + event + "\ndata: " + json.replace("\n", "\ndata: ") + "\n\n");
        out.flush();
        if (out.checkError()) {
            close();
        }
        return open;
    }

    synchronized void comment(String text) {
        if (open) {
            out.write(": " + text + "\n\n");
            out.flush();
            if (out.checkError()) {
                close();
            }
        }
    }

    synchronized void close() {
        if (open) {
            open = false;
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container
            }
        }
    }
}
