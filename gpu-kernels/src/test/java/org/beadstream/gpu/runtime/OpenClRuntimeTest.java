package org.beadstream.gpu.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenClRuntimeTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    @Test
    void shouldDiscoverAtLeastOneDeviceAndPreferTheRequestedKind() {
        final List<OpenClDevice> devices = DeviceSelector.discover();
        assertFalse(devices.isEmpty());
        final OpenClDevice first = devices.get(0);
        assertEquals(first, DeviceSelector.choose("#" + first.index(), devices));
        assertEquals(first, DeviceSelector.choose(first.name().substring(0, 3).toUpperCase(), devices));
        assertEquals(first.kind(), DeviceSelector.choose(first.kind().name().toLowerCase(), devices).kind());
    }

    @Test
    void shouldNameTheSelectorAndListDevicesWhenNothingMatches() {
        final List<OpenClDevice> devices = DeviceSelector.discover();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceSelector.choose("no-such-device-xyz", devices));
        assertTrue(e.getMessage().contains("no-such-device-xyz"), e.getMessage());
        assertTrue(e.getMessage().contains(devices.get(0).name()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.choose("#x", devices));
        assertThrows(IllegalStateException.class, () -> DeviceSelector.choose("gpu", List.of()));
    }

    @Test
    void shouldRoundTripDataThroughAKernelWithDefinesAndIncludes() {
        final String src = "#include \"complex.cl\"\n"
                + "__kernel void twice(__global float2* x, const float k) { int i = get_global_id(0);"
                + " x[i] = cmul(x[i], (float2)(k * SCALE, 0.0f)); }";
        final ClKernel k = cl.kernel("twice", src, Defines.of("SCALE", 2));
        final float[] data = new float[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = i - 10.5f;
        }
        try (DeviceBuffer b = cl.buffer("data", data.length * 4L)) {
            b.upload(cl.queue(), data);
            k.arg(0, b).arg(1, 1.5f).launch(cl.queue(), data.length / 2, 0);
            final float[] out = new float[data.length];
            b.download(cl.queue(), out);
            for (int i = 0; i < data.length; i++) {
                assertEquals(data[i] * 3f, out[i], 0f);
            }
        }
        assertTrue(cl.buildMillis().keySet().stream().anyMatch(s -> s.startsWith("twice")));
    }

    @Test
    void shouldPutTheBuildLogAndDeviceInTheExceptionWhenAProgramFailsToBuild() {
        final OpenClException e = assertThrows(OpenClException.class,
                () -> cl.kernel("broken", "__kernel void broken(__global float* x) { x[0] = undefined_name; }",
                        Defines.NONE));
        assertEquals("CL_BUILD_PROGRAM_FAILURE", e.errorName());
        assertTrue(e.getMessage().contains("undefined_name"), e.getMessage());
        assertTrue(e.getMessage().contains(cl.deviceName()), e.getMessage());
        assertTrue(e.call().startsWith("clBuildProgram(broken"), e.call());
    }

    @Test
    void shouldRefuseTransfersOutsideTheBufferAndUseAfterClose() {
        final DeviceBuffer b = cl.buffer("small", 16);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.upload(cl.queue(), new float[8]));
        assertTrue(e.getMessage().contains("small"), e.getMessage());
        b.close();
        assertThrows(IllegalStateException.class, () -> b.upload(cl.queue(), new float[1]));
        assertThrows(IllegalArgumentException.class, () -> cl.buffer("empty", 0));
        assertThrows(IllegalArgumentException.class, () -> KernelSources.load("no_such_kernel"));
    }

    @Test
    void shouldReportAClearErrorForEveryCallAfterTheRuntimeIsGone() {
        final OpenClRuntime other = OpenClRuntime.create(cl.device());
        final DeviceBuffer b = other.buffer("x", 64);
        final CommandQueue q = other.queue();
        other.close();
        assertTrue(b.isClosed());
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.buffer("y", 4));
        assertTrue(e.getMessage().contains(cl.deviceName()), e.getMessage());
        assertThrows(IllegalStateException.class, q::finish);
    }

    @Test
    void shouldValidateDefines() {
        assertEquals("-D A=1 -D B=2.5f", Defines.of("B", "2.5f").with("A").toOptions());
        assertEquals("-D B=2.5f", Defines.NONE.with("B", 2.5f).toOptions());
        assertThrows(IllegalArgumentException.class, () -> Defines.of("1bad", 1));
        assertThrows(IllegalArgumentException.class, () -> Defines.of("X", "a b"));
        assertEquals("CL_OUT_OF_RESOURCES", OpenClStatus.errorName(-5));
    }

    @Test
    void shouldRetryOnlyBuildsThatFailedOnPoclsSharedCacheNotOnTheSource() {
        assertTrue(OpenClRuntime.isCacheRace("error: <invalid loc>: unable to rename temporary "
                + "'/root/.cache/pocl/kcache/tempfile_RTZ21Q.preproc-eead2912.cl.tmp' to output file"));
        assertTrue(OpenClRuntime.isCacheRace(""));
        assertFalse(OpenClRuntime.isCacheRace("<source>:3:5: error: use of undeclared identifier 'x'"));
    }
}
