package hub.core.internal.shell;

import hub.api.access.Caller;
import hub.api.inference.Inference;
import hub.api.inference.Task;
import hub.api.inference.TaskOptions;
import hub.api.task.ImageInput;
import hub.core.internal.runtime.Throughput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code bench detect IMAGE}: the detect call made in this hub's process (a lease and one detection per request, as
 * the HTTP API makes it) by 1, 4 and 16 concurrent clients: requests per second, p50 and p99.
 */
@Component(service = BenchCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=bench"})
public class BenchCommands {
    private final Inference inference;

    /**
     * @param inference the request path every surface runs tasks through (what is measured)
     */
    @Activate
    public BenchCommands(@Reference Inference inference) {
        this.inference = inference;
    }

    /**
     * @param session working directory
     * @param model detection model (default: the detector alias)
     * @param requests requests per concurrency level
     * @param clients concurrency levels, comma-separated
     * @param task {@code detect}
     * @param image the image
     * @return one line per concurrency level
     * @throws Exception when a request fails
     */
    @Descriptor("measure detect in this hub's process: requests/s, p50, p99 for 1, 4 and 16 concurrent clients")
    public String bench(CommandSession session,
            @Descriptor("model NAME[@VERSION]") @Parameter(names = {"-m", "--model"}, absentValue = "") String model,
            @Descriptor("requests per level") @Parameter(names = {"-n", "--requests"}, absentValue = "64") int requests,
            @Descriptor("concurrency levels") @Parameter(names = {"-c", "--clients"}, absentValue = "1,4,16") String clients,
            @Descriptor("detect") String task, @Descriptor("image file") String image) throws Exception {
        if (!task.equals("detect")) {
            throw new IllegalArgumentException("bench measures detect; '" + task + "' is not supported");
        }
        List<ImageInput> input = TaskCommands.read(session, image);
        List<String> lines = new ArrayList<>();
        lines.add("in-process detect (" + (model.isEmpty() ? "detector alias" : model) + "), " + requests
                + " requests per level");
        for (String c : clients.split(",")) {
            int n = Integer.parseInt(c.trim());
            Throughput.Result r = Throughput.measure(() -> inference.run(Caller.owner(), Task.DETECT, model, input,
                    TaskOptions.DEFAULT), n, Math.max(n, requests));
            lines.add(r.line());
        }
        return String.join("\n", lines);
    }
}
