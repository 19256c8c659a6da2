package hub.shell.internal.commands;

import hub.api.ArtifactCheck;
import hub.api.ArtifactSpec;
import hub.api.CacheEntry;
import hub.api.CacheInfo;
import hub.api.DeviceInfo;
import hub.api.DownloadRecord;
import hub.api.ModelDescriptor;
import hub.api.ModelInfo;
import hub.api.ValidationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text renderings of API records for the shell; the commands return these strings. */
final class Format {
    private Format() {
    }

    static String bytes(long b) {
        if (b < 0) {
            return "?";
        }
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = b;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < w.length; i++) {
                b.append(i == w.length - 1 ? r.get(i) : String.format("%-" + w[i] + "s  ", r.get(i)));
            }
            b.append('\n');
        }
        return b.toString().stripTrailing();
    }

    static String models(List<ModelDescriptor> list) {
        if (list.isEmpty()) {
            return "no models match";
        }
        List<List<String>> rows = new ArrayList<>();
        for (ModelDescriptor d : list) {
            rows.add(List.of(d.name(), d.version(), d.family().id(), d.tier().id(), bytes(d.totalSize()),
                    d.provenance().origin(), String.join(",", d.tags())));
        }
        return table(List.of("NAME", "VERSION", "FAMILY", "TIER", "SIZE", "ORIGIN", "TAGS"), rows);
    }

    static String info(ModelInfo i) {
        ModelDescriptor d = i.descriptor();
        StringBuilder b = new StringBuilder();
        line(b, "model", d.name() + "@" + d.version());
        line(b, "family", d.family().id() + (i.loaderAvailable() ? "" : " (no loader active)"));
        line(b, "task", d.task());
        line(b, "description", d.description());
        line(b, "license", d.license());
        line(b, "tier", d.tier().id());
        line(b, "tags", String.join(", ", d.tags()));
        line(b, "devices", d.devices().stream().map(x -> x.name().toLowerCase(Locale.ROOT)).sorted().toList().toString());
        line(b, "status", i.status().name());
        line(b, "versions", String.join(", ", i.versions()));
        line(b, "size", bytes(d.totalSize()));
        line(b, "origin", d.provenance().origin() + " / " + d.provenance().publisher());
        if (d.provenance().homepage() != null) {
            line(b, "homepage", d.provenance().homepage());
        }
        if (d.provenance().note() != null) {
            line(b, "note", d.provenance().note());
        }
        b.append("artifacts:\n");
        for (ArtifactSpec a : d.artifacts()) {
            b.append("  ").append(a.role()).append(": ").append(a.source()).append('\n');
            b.append("    sha256: ").append(a.sha256() == null ? "(not published: recorded at first download)" : a.sha256())
                    .append("  size: ").append(bytes(a.size())).append('\n');
        }
        if (!d.parameters().values().isEmpty()) {
            line(b, "parameters", d.parameters().values().toString());
        }
        i.loadedInfo().ifPresent(l -> line(b, "loaded", l.device() + ", " + bytes(l.memoryBytes())
                + (l.memoryMeasured() ? " measured" : " estimated") + ", load " + l.loadTime().toMillis() + " ms, "
                + l.openLeases() + " lease(s)"));
        return b.toString().stripTrailing();
    }

    static String device(DeviceInfo i) {
        StringBuilder b = new StringBuilder();
        line(b, "runtime", i.runtime());
        line(b, "providers", String.join(", ", i.providers()));
        line(b, "gpu", i.gpuPresent() ? String.join(", ", i.gpus()) : "none found");
        line(b, "recommended", i.recommended().name().toLowerCase(Locale.ROOT));
        line(b, "reason", i.reason());
        return b.toString().stripTrailing();
    }

    static String cache(CacheInfo c) {
        StringBuilder b = new StringBuilder();
        line(b, "directory", c.directory().toString());
        line(b, "used", bytes(c.usedBytes()) + " of " + bytes(c.limitBytes())
                + String.format(Locale.ROOT, " (%.1f%%)", c.utilization() * 100));
        line(b, "free disk", bytes(c.freeDiskBytes()));
        line(b, "models", String.valueOf(c.entries().size()));
        if (!c.entries().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (CacheEntry e : c.entries()) {
                rows.add(List.of(e.ref().toString(), bytes(e.bytes()), e.status().name(),
                        e.lastUsed() == null ? "-" : e.lastUsed().toString(), e.pinned() ? "yes" : "no"));
            }
            b.append('\n').append(table(List.of("MODEL", "SIZE", "STATUS", "LAST USED", "PINNED"), rows));
        }
        return b.toString().stripTrailing();
    }

    static String validation(ValidationReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (ArtifactCheck c : r.artifacts()) {
            rows.add(List.of(c.role(), c.ok() ? "ok" : c.message(), bytes(c.size()),
                    c.actualSha256() == null ? "-" : c.actualSha256()));
        }
        return r.ref() + (r.valid() ? ": valid" : ": INVALID") + "\n"
                + table(List.of("ROLE", "RESULT", "SIZE", "SHA256"), rows);
    }

    static String history(List<DownloadRecord> h) {
        if (h.isEmpty()) {
            return "no downloads recorded";
        }
        List<List<String>> rows = new ArrayList<>();
        for (DownloadRecord r : h) {
            long ms = java.time.Duration.between(r.started(), r.ended()).toMillis();
            rows.add(List.of(r.started().toString(), r.ref().toString(), r.role(), r.source(), bytes(r.bytes()),
                    r.resumedFrom() > 0 ? "from " + bytes(r.resumedFrom()) : "-", ms + " ms", r.outcome(),
                    r.error() == null ? "" : r.error()));
        }
        return table(List.of("STARTED", "MODEL", "ROLE", "SOURCE", "BYTES", "RESUMED", "TOOK", "OUTCOME", "ERROR"), rows);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format("%-12s %s%n", key + ":", value));
    }

    /**
     * A moment relative to now, as people say it: "just now", "2 minutes ago", "in 28 minutes".
     *
     * @param now now
     * @param t the moment
     * @return the phrase
     */
    static String relative(java.time.Instant now, java.time.Instant t) {
        long s = java.time.Duration.between(now, t).getSeconds();
        boolean past = s < 0;
        long a = Math.abs(s);
        if (a < 5) {
            return past ? "just now" : "now";
        }
        String span;
        if (a < 60) {
            span = a + " seconds";
        } else if (a < 3600) {
            long m = Math.round(a / 60.0);
            span = m + (m == 1 ? " minute" : " minutes");
        } else if (a < 86_400) {
            long h = Math.round(a / 3600.0);
            span = h + (h == 1 ? " hour" : " hours");
        } else {
            long d = Math.round(a / 86_400.0);
            span = d + (d == 1 ? " day" : " days");
        }
        return past ? span + " ago" : "in " + span;
    }
}
