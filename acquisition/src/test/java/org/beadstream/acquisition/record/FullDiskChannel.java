package org.beadstream.acquisition.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** A file channel over a real file that behaves like a disk with {@code capacity} bytes: it writes up to it, then fails. */
final class FullDiskChannel extends FileChannel {

    private final FileChannel delegate;
    private final long capacity;

    FullDiskChannel(final FileChannel delegate, final long capacity) {
        this.delegate = delegate;
        this.capacity = capacity;
    }

    @Override
    public int write(final ByteBuffer src) throws IOException {
        final long room = capacity - delegate.position();
        if (room <= 0) {
            throw new IOException("No space left on device");
        }
        if (src.remaining() > room) {
            final int limit = src.limit();
            src.limit(src.position() + (int) room);
            final int n = delegate.write(src);
            src.limit(limit);
            return n;
        }
        return delegate.write(src);
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException {
        throw new UnsupportedOperationException("gathering writes are not used by the recorder");
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(final long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(final long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public void force(final boolean metaData) throws IOException {
        delegate.force(metaData);
    }

    @Override
    public long transferTo(final long position, final long count, final WritableByteChannel target)
            throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(final ReadableByteChannel src, final long position, final long count)
            throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(final ByteBuffer dst, final long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(final ByteBuffer src, final long position) throws IOException {
        throw new UnsupportedOperationException("positional writes are not used by the recorder");
    }

    @Override
    public MappedByteBuffer map(final MapMode mode, final long position, final long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(final long position, final long size, final boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(final long position, final long size, final boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
