package org.beadstream.gpu.runtime;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * A named buffer in device memory, allocated once (per session, never per frame) and released by {@link #close()}.
 * Transfers are named by direction: {@code upload} (host to device) and {@code download} (device to host); they
 * block until done, so the host array may be reused on return. NIO buffers (direct or heap) are read from / written
 * at their current position (the position is not moved). Byte offsets and counts are checked against the buffer
 * size. To allocate nothing per transfer, the buffer keeps a reference to the last host array it transferred and to
 * the last 64 NIO buffers (with their JOCL pointers) until others replace them or the buffer is closed.
 *
 * <p>Not thread-safe: use one buffer from one stage thread (or synchronise).
 */
public final class DeviceBuffer implements AutoCloseable {

    private final OpenClRuntime runtime;
    private final String name;
    private final long bytes;
    private final cl_mem mem;
    private boolean closed;
    /** The host array last transferred and its pointer: repeated transfers of the same array allocate nothing. */
    private Object lastArray;
    private Pointer lastPointer;
    private static final int NIO_CACHE = 64;
    private final java.nio.Buffer[] nioBuffers = new java.nio.Buffer[NIO_CACHE];
    private final int[] nioPositions = new int[NIO_CACHE];
    private final Pointer[] nioPointers = new Pointer[NIO_CACHE];
    private int nioNext;
    private final Pointer argPointer;
    private final String uploadCall;
    private final String downloadCall;

    DeviceBuffer(final OpenClRuntime runtime, final String name, final long bytes, final cl_mem mem) {
        this.runtime = runtime;
        this.name = name;
        this.bytes = bytes;
        this.mem = mem;
        this.argPointer = Pointer.to(mem);
        this.uploadCall = "clEnqueueWriteBuffer(upload " + name + ")";
        this.downloadCall = "clEnqueueReadBuffer(download " + name + ")";
    }

    /** The buffer's name (used in error messages). */
    public String name() {
        return name;
    }

    /** Size in bytes. */
    public long bytes() {
        return bytes;
    }

    /** The JOCL handle (for kernel arguments). */
    public cl_mem handle() {
        ensureOpen();
        return mem;
    }

    /** The pointer to this buffer's handle, made once, for {@code clSetKernelArg}. */
    Pointer argPointer() {
        ensureOpen();
        return argPointer;
    }

    /** Uploads {@code count} floats of {@code src} from {@code srcIndex} to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final float[] src, final int srcIndex, final int count,
            final long dstByte) {
        checkArray(src.length, srcIndex, count);
        write(q, pointer(src, (long) srcIndex * Sizeof.cl_float), (long) count * Sizeof.cl_float, dstByte);
    }

    /** Uploads all of {@code src} to the start of the buffer. */
    public void upload(final CommandQueue q, final float[] src) {
        upload(q, src, 0, src.length, 0);
    }

    /** Uploads {@code count} shorts of {@code src} from {@code srcIndex} to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final short[] src, final int srcIndex, final int count,
            final long dstByte) {
        checkArray(src.length, srcIndex, count);
        write(q, pointer(src, (long) srcIndex * Sizeof.cl_short), (long) count * Sizeof.cl_short, dstByte);
    }

    /** Uploads all of {@code src} to the start of the buffer. */
    public void upload(final CommandQueue q, final int[] src) {
        write(q, pointer(src, 0), (long) src.length * Sizeof.cl_int, 0);
    }

    /** Uploads {@code src.remaining()} floats from its position to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final FloatBuffer src, final long dstByte) {
        write(q, at(src), (long) src.remaining() * Sizeof.cl_float, dstByte);
    }

    /** Uploads {@code src.remaining()} shorts from its position to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final ShortBuffer src, final long dstByte) {
        write(q, at(src), (long) src.remaining() * Sizeof.cl_short, dstByte);
    }

    /** Uploads {@code src.remaining()} bytes from its position to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final ByteBuffer src, final long dstByte) {
        write(q, at(src), src.remaining(), dstByte);
    }

    /** Uploads {@code count} floats from {@code src}'s position (not moved) to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final FloatBuffer src, final int count, final long dstByte) {
        checkArray(src.remaining(), 0, count);
        write(q, at(src), (long) count * Sizeof.cl_float, dstByte);
    }

    /** Uploads {@code count} shorts from {@code src}'s position (not moved) to byte offset {@code dstByte}. */
    public void upload(final CommandQueue q, final ShortBuffer src, final int count, final long dstByte) {
        checkArray(src.remaining(), 0, count);
        write(q, at(src), (long) count * Sizeof.cl_short, dstByte);
    }

    /** Downloads {@code count} floats from byte offset {@code srcByte} into {@code dst} at its position (not moved). */
    public void download(final CommandQueue q, final long srcByte, final FloatBuffer dst, final int count) {
        checkArray(dst.remaining(), 0, count);
        read(q, srcByte, at(dst), (long) count * Sizeof.cl_float);
    }

    /** Downloads {@code count} floats from byte offset {@code srcByte} into {@code dst} at {@code dstIndex}. */
    public void download(final CommandQueue q, final long srcByte, final float[] dst, final int dstIndex,
            final int count) {
        checkArray(dst.length, dstIndex, count);
        read(q, srcByte, pointer(dst, (long) dstIndex * Sizeof.cl_float), (long) count * Sizeof.cl_float);
    }

    /** Downloads the start of the buffer into all of {@code dst}. */
    public void download(final CommandQueue q, final float[] dst) {
        download(q, 0, dst, 0, dst.length);
    }

    /** Downloads the start of the buffer into all of {@code dst}. */
    public void download(final CommandQueue q, final int[] dst) {
        read(q, 0, pointer(dst, 0), (long) dst.length * Sizeof.cl_int);
    }

    /** Downloads {@code dst.remaining()} floats from byte offset {@code srcByte} into {@code dst} at its position. */
    public void download(final CommandQueue q, final long srcByte, final FloatBuffer dst) {
        read(q, srcByte, at(dst), (long) dst.remaining() * Sizeof.cl_float);
    }

    /** Downloads {@code dst.remaining()} bytes from byte offset {@code srcByte} into {@code dst} at its position. */
    public void download(final CommandQueue q, final long srcByte, final ByteBuffer dst) {
        read(q, srcByte, at(dst), dst.remaining());
    }

    /** Downloads {@code dst.remaining()} ints from byte offset {@code srcByte} into {@code dst} at its position. */
    public void download(final CommandQueue q, final long srcByte, final IntBuffer dst) {
        read(q, srcByte, at(dst), (long) dst.remaining() * Sizeof.cl_int);
    }

    /**
     * Enqueues a device-side copy of {@code bytes} bytes from byte {@code srcByte} of this buffer to byte
     * {@code dstByte} of {@code dst} (same runtime), ordered with the other commands on {@code q}.
     */
    public void copyTo(final CommandQueue q, final long srcByte, final DeviceBuffer dst, final long dstByte,
            final long bytes) {
        ensureOpen();
        checkRange(srcByte, bytes, "copy");
        dst.checkRange(dstByte, bytes, "copy");
        OpenClStatus.check(CL.clEnqueueCopyBuffer(q.handle(), mem, dst.handle(), srcByte, dstByte, bytes, 0, null,
                null), "clEnqueueCopyBuffer(" + name + " -> " + dst.name + ")", runtime.deviceName());
    }

    /** Sets every byte to zero (enqueued; ordered with later commands on {@code q}). */
    public void clear(final CommandQueue q) {
        ensureOpen();
        OpenClStatus.check(CL.clEnqueueFillBuffer(q.handle(), mem, Pointer.to(new byte[] {0}), 1, 0, bytes, 0, null,
                null), "clEnqueueFillBuffer(" + name + ")", runtime.deviceName());
    }

    /** A pointer into a host array; the pointer to the start of the last array used is kept and reused. */
    private Pointer pointer(final Object array, final long byteOffset) {
        if (array != lastArray) {
            lastArray = array;
            lastPointer = array instanceof float[] f ? Pointer.to(f) : array instanceof short[] s ? Pointer.to(s)
                    : Pointer.to((int[]) array);
        }
        return byteOffset == 0 ? lastPointer : lastPointer.withByteOffset(byteOffset);
    }

    /**
     * A pointer at an NIO buffer's current position (JOCL's {@code Pointer.to} ignores the position). The last
     * {@value #NIO_CACHE} (buffer, position) pairs are remembered, so a stream that cycles over a fixed set of
     * buffers (e.g. one per plane) allocates nothing per transfer.
     */
    private Pointer at(final java.nio.Buffer b, final int elementBytes) {
        final int pos = b.position();
        for (int i = 0; i < NIO_CACHE; i++) {
            if (nioBuffers[i] == b && nioPositions[i] == pos) {
                return nioPointers[i];
            }
        }
        final Pointer p;
        if (b.hasArray()) {
            final Object arr = b.array();
            final long off = (long) (b.arrayOffset() + pos) * elementBytes;
            final Pointer base = arr instanceof float[] f ? Pointer.to(f) : arr instanceof short[] s ? Pointer.to(s)
                    : arr instanceof int[] n ? Pointer.to(n) : Pointer.to((byte[]) arr);
            p = base.withByteOffset(off);
        } else {
            p = Pointer.to(b).withByteOffset((long) pos * elementBytes);
        }
        nioBuffers[nioNext] = b;
        nioPositions[nioNext] = pos;
        nioPointers[nioNext] = p;
        nioNext = (nioNext + 1) % NIO_CACHE;
        return p;
    }

    private Pointer at(final FloatBuffer b) {
        return at(b, 4);
    }

    private Pointer at(final ShortBuffer b) {
        return at(b, 2);
    }

    private Pointer at(final IntBuffer b) {
        return at(b, 4);
    }

    private Pointer at(final ByteBuffer b) {
        return at(b, 1);
    }

    private void write(final CommandQueue q, final Pointer src, final long n, final long dstByte) {
        ensureOpen();
        checkRange(dstByte, n, "upload");
        OpenClStatus.check(CL.clEnqueueWriteBuffer(q.handle(), mem, CL.CL_TRUE, dstByte, n, src, 0, null, null),
                uploadCall, runtime.deviceName());
    }

    private void read(final CommandQueue q, final long srcByte, final Pointer dst, final long n) {
        ensureOpen();
        checkRange(srcByte, n, "download");
        OpenClStatus.check(CL.clEnqueueReadBuffer(q.handle(), mem, CL.CL_TRUE, srcByte, n, dst, 0, null, null),
                downloadCall, runtime.deviceName());
    }

    private void checkRange(final long offset, final long n, final String what) {
        if (offset < 0 || n < 0 || offset + n > bytes) {
            throw new IllegalArgumentException(what + " of " + n + " bytes at offset " + offset + " does not fit"
                    + " device buffer '" + name + "' of " + bytes + " bytes");
        }
    }

    private static void checkArray(final int length, final int index, final int count) {
        if (index < 0 || count < 0 || index + count > length) {
            throw new IllegalArgumentException("array range [" + index + ", " + (index + count) + ") outside array of "
                    + length);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("device buffer '" + name + "' is closed");
        }
        runtime.ensureOpen();
    }

    /** True once closed. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lastArray = null;
            lastPointer = null;
            java.util.Arrays.fill(nioBuffers, null);
            java.util.Arrays.fill(nioPointers, null);
            CL.clReleaseMemObject(mem);
            runtime.forget(this);
        }
    }

    @Override
    public String toString() {
        return "DeviceBuffer[" + name + ", " + bytes + " B]";
    }
}
