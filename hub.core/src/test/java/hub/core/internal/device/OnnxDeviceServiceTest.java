package hub.core.internal.device;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.DeviceSelection;
import hub.api.DeviceUnavailableException;
import hub.core.internal.Configs;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** The decision table of device selection, with the runtime's provider list and the GPU probe as inputs. */
public class OnnxDeviceServiceTest {
    private static InferenceRuntime runtime(String... providers) {
        return new InferenceRuntime() {
            @Override
            public String version() {
                return "test";
            }

            @Override
            public Set<String> availableProviders() {
                return Set.of(providers);
            }

            @Override
            public OrtEnvironment environment() {
                throw new UnsupportedOperationException();
            }

            @Override
            public SessionSpec spec(hub.api.spi.LoadRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public OrtSession createSession(Path model, SessionSpec spec) {
                throw new UnsupportedOperationException();
            }

            @Override
            public OrtSession createSession(Path model, SessionSpec spec, java.util.Collection<String> extra) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void warmUp(OrtSession session, int dynamicSize) {
                throw new UnsupportedOperationException();
            }

            @Override
            public hub.api.task.TensorModel tensors(OrtSession session) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static OnnxDeviceService service(boolean strict, List<String> gpus, String... providers) {
        return new OnnxDeviceService(runtime(providers), Configs.of(DeviceConfig.class, Map.of("strict", strict)),
                () -> gpus);
    }

    @Test
    public void cpuOnlyMachineResolvesAutoAndGpuToCpu() {
        OnnxDeviceService s = service(false, List.of(), "CPU");
        assertEquals(Device.CPU, s.info().recommended());
        assertFalse(s.info().gpuPresent());
        assertEquals(Device.CPU, s.resolve(Device.AUTO).device());
        DeviceSelection gpu = s.resolve(Device.GPU);
        assertEquals(Device.CPU, gpu.device());
        assertTrue(gpu.fallback());
        assertTrue(gpu.reason(), gpu.reason().contains("falling back to CPU"));
    }

    @Test
    public void strictModeRefusesTheFallback() {
        OnnxDeviceService s = service(true, List.of(), "CPU");
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> s.resolve(Device.GPU));
        assertTrue(e.getMessage(), e.getMessage().contains("strict"));
        assertEquals(Device.CPU, s.resolve(Device.AUTO).device());
    }

    @Test
    public void gpuIsPickedOnlyWithBothProviderAndHardware() {
        assertEquals(Device.GPU, service(false, List.of("NVIDIA H100"), "CUDA", "CPU").resolve(Device.AUTO).device());
        assertEquals(Device.GPU, service(true, List.of("NVIDIA H100"), "CUDA", "CPU").resolve(Device.GPU).device());
        OnnxDeviceService noProvider = service(false, List.of("NVIDIA H100"), "CPU");
        assertEquals(Device.CPU, noProvider.resolve(Device.AUTO).device());
        assertTrue(noProvider.info().reason(), noProvider.info().reason().contains("-Pgpu"));
        assertEquals(Device.CPU, service(false, List.of(), "CUDA", "CPU").resolve(Device.AUTO).device());
        assertEquals(Device.CPU, service(false, List.of("x"), "CUDA").resolve(Device.CPU).device());
    }
}
