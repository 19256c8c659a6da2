package hub.core.internal.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Finds NVIDIA GPUs without loading any CUDA library: the driver's proc files, else nvidia-smi. */
final class GpuProbe {
    private GpuProbe() {
    }

    static List<String> gpus(Path procRoot) {
        List<String> names = new ArrayList<>();
        Path dir = procRoot.resolve("driver/nvidia/gpus");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path gpu : entries.sorted().toList()) {
                    names.add(model(gpu.resolve("information")));
                }
            } catch (IOException e) {
                // unreadable proc entries: fall through to nvidia-smi
            }
        }
        return names.isEmpty() ? nvidiaSmi() : names;
    }

    private static String model(Path information) {
        try {
            for (String line : Files.readAllLines(information, StandardCharsets.UTF_8)) {
                if (line.startsWith("Model:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // keep the generic name
        }
        return "NVIDIA GPU";
    }

    /** @return used / total memory of the fullest GPU, or -1 when nvidia-smi cannot tell */
    static double memoryFraction() {
        double max = -1;
        for (String line : run("nvidia-smi", "--query-gpu=memory.used,memory.total", "--format=csv,noheader,nounits")) {
            String[] parts = line.split(",");
            try {
                double used = Double.parseDouble(parts[0].trim());
                double total = Double.parseDouble(parts[1].trim());
                if (total > 0) {
                    max = Math.max(max, used / total);
                }
            } catch (RuntimeException e) {
                // a line nvidia-smi did not mean for us
            }
        }
        return max;
    }

    private static List<String> nvidiaSmi() {
        return run("nvidia-smi", "--query-gpu=name", "--format=csv,noheader");
    }

    private static List<String> run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            if (p.exitValue() != 0) {
                return List.of();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return out.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
