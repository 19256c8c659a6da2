package hub.http.internal;

import hub.api.ArtifactStore;
import hub.api.LocalModel;
import hub.api.ModelRef;
import hub.api.PullOptions;
import hub.api.TransferProgress;
import hub.core.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Download jobs started over HTTP: each one an asynchronous pull whose progress goes to the job's own event streams
 * and to the hub-wide one (the web page's progress bars). Finished jobs are kept for an hour.
 */
final class Jobs {
    /** A download job and its latest state. */
    static final class Job {
        final String id = UUID.randomUUID().toString();
        final ModelRef ref;
        final Instant started = Instant.now();
        final List<SseStream> streams = new CopyOnWriteArrayList<>();
        volatile String state = "running";
        volatile TransferProgress progress;
        volatile String error;
        volatile Instant finished;

        Job(ModelRef ref) {
            this.ref = ref;
        }

        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("model", ref.toString());
            m.put("state", state);
            m.put("started", started);
            if (progress != null) {
                m.put("bytes", progress.bytes());
                m.put("total", progress.total());
                m.put("fraction", progress.fraction());
                m.put("bytesPerSecond", progress.bytesPerSecond());
                m.put("status", progress.status());
            }
            if (error != null) {
                m.put("error", error);
            }
            if (finished != null) {
                m.put("finished", finished);
            }
            m.put("events", "/api/v1/jobs/" + id + "/events");
            return m;
        }
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final BiConsumer<String, String> broadcast;

    /**
     * @param broadcast sends an event (name, JSON) to every hub-wide stream
     */
    Jobs(BiConsumer<String, String> broadcast) {
        this.broadcast = broadcast;
    }

    Job start(ArtifactStore store, ModelRef ref, boolean force) {
        jobs.values().removeIf(j -> j.finished != null && j.finished.isBefore(Instant.now().minusSeconds(3600)));
        Job job = new Job(ref);
        jobs.put(job.id, job);
        long[] last = {0};
        store.pullAsync(ref, force ? new PullOptions(true, null, false) : PullOptions.DEFAULT, p -> {
            job.progress = p;
            long now = System.nanoTime();
            if (now - last[0] > 100_000_000L || p.total() > 0 && p.bytes() >= p.total()) { // at most 10 a second
                last[0] = now;
                publish(job, "progress");
            }
        }).whenComplete((LocalModel local, Throwable failure) -> {
            job.finished = Instant.now();
            if (failure == null) {
                job.state = "done";
            } else {
                Throwable cause = failure.getCause() != null && failure instanceof java.util.concurrent.CompletionException
                        ? failure.getCause() : failure;
                job.state = "failed";
                job.error = cause.getMessage();
            }
            publish(job, job.state);
            job.streams.forEach(SseStream::close);
        });
        return job;
    }

    private void publish(Job job, String event) {
        String json = Json.compact(job.view());
        for (SseStream s : job.streams) {
            if (!s.send(event, json)) {
                job.streams.remove(s);
            }
        }
        broadcast.accept("download", json);
    }

    Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Attaches a stream to a job: it gets the current state at once, then every change, and closes at the end. */
    void follow(Job job, SseStream stream) {
        job.streams.add(stream);
        stream.send(job.finished == null ? "progress" : job.state, Json.compact(job.view()));
        if (job.finished != null) {
            stream.close();
        }
    }
}
