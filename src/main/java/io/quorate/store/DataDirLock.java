package io.quorate.store;

import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent per data directory (ADR 0020): an exclusive OS lock ({@link FileChannel#tryLock}, a
 * POSIX record lock on Linux) on {@code <dataDir>/quorate.lock}, held for the agent's lifetime. It
 * is released by {@link #release}, when the agent's Vert.x instance closes, and by the OS when the
 * process dies, so the file left behind by {@code kill -9} never blocks a start: the lock counts,
 * not the file. The holder writes its PID and start time into the file for the error message only.
 * Every file operation runs on a worker thread, never on an event loop.
 */
public final class DataDirLock {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);

  /** The file inside the data directory. */
  public static final String FILE_NAME = "quorate.lock";

  /** At most this much of a holder's file is read for the error message. */
  static final int MAX_HOLDER_BYTES = 256;

  private static final Pattern HOLDER = Pattern.compile("pid=([0-9]{1,18}) started=(\\S{1,64})");

  /**
   * Lock files this JVM holds, by real path, guarded by itself. POSIX record locks belong to the
   * process, not to a channel: a second {@code tryLock} in the same JVM would throw, and closing
   * any other channel on the file would drop the holder's lock ({@link FileLock} Javadoc). A second
   * agent in this JVM is therefore refused here, before it opens the file. JVM-wide by nature.
   */
  private static final Map<Path, DataDirLock> HELD = new HashMap<>();

  private final Path dataDir;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final long pid;
  private final String started;
  private final AtomicBoolean released = new AtomicBoolean();
  private final Closeable onVertxClose = done -> done.succeed(releaseQuietly());
  private volatile VertxInternal vertx;

  private DataDirLock(Path dataDir, Path file, FileChannel channel, FileLock lock, Instant at) {
    this.dataDir = dataDir;
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.pid = ProcessHandle.current().pid();
    this.started = at.toString();
  }

  /**
   * Creates {@code dataDir} if needed and takes its lock on a worker thread; fails with {@link
   * DataDirLockedException} when another agent (in this JVM or another process) holds it. The lock
   * is also released when {@code vertx} closes (an in-process crash in tests).
   */
  public static Future<DataDirLock> acquire(Vertx vertx, Path dataDir, Instant now) {
    return vertx
        .executeBlocking(() -> acquireNow(dataDir, now), false)
        .map(
            l -> {
              if (vertx instanceof VertxInternal internal) {
                l.vertx = internal;
                internal.addCloseHook(l.onVertxClose);
              }
              return l;
            });
  }

  /** The blocking part of {@link #acquire}. */
  static DataDirLock acquireNow(Path dataDir, Instant now) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.toRealPath().resolve(FILE_NAME);
    synchronized (HELD) {
      DataDirLock mine = HELD.get(file);
      if (mine != null) {
        throw new DataDirLockedException(dataDir, mine.pid, mine.started);
      }
      DataDirLock l = lockFile(dataDir, file, now);
      HELD.put(file, l);
      LOG.info("store data-dir-locked dir={} pid={}", dataDir, l.pid);
      return l;
    }
  }

  private static DataDirLock lockFile(Path dataDir, Path file, Instant now) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    boolean locked = false;
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw holder(dataDir, ch);
      }
      DataDirLock l = new DataDirLock(dataDir, file, ch, lock, now);
      byte[] text =
          ("pid=" + l.pid + " started=" + l.started + "\n").getBytes(StandardCharsets.UTF_8);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(text), 0);
      locked = true;
      return l;
    } finally {
      if (!locked) {
        ch.close(); // this process holds no lock on the file, so closing drops none
      }
    }
  }

  /** The refusal, naming the holder as it wrote itself into the file (if it did). */
  private static DataDirLockedException holder(Path dataDir, FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(MAX_HOLDER_BYTES);
    ch.read(buf, 0);
    Matcher m = HOLDER.matcher(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    return m.find()
        ? new DataDirLockedException(dataDir, Long.parseLong(m.group(1)), m.group(2))
        : new DataDirLockedException(dataDir, -1, null);
  }

  /** Releases the lock on a worker thread; idempotent, never fails. */
  public Future<Void> release() {
    VertxInternal v = vertx;
    if (v != null) {
      v.removeCloseHook(onVertxClose);
      return v.executeBlocking(this::releaseQuietly, false)
          .recover(closing -> Future.succeededFuture(releaseQuietly())); // Vert.x closing
    }
    releaseQuietly();
    return Future.succeededFuture();
  }

  private Void releaseQuietly() {
    if (!released.compareAndSet(false, true)) {
      return null;
    }
    synchronized (HELD) {
      HELD.remove(file, this);
      try {
        lock.release();
        channel.close();
        LOG.info("store data-dir-released dir={}", dataDir);
      } catch (IOException e) {
        LOG.warn("store data-dir-release-failed dir={} error=\"{}\"", dataDir, e.getMessage());
      }
    }
    return null;
  }

  /** The locked directory. */
  public Path dataDir() {
    return dataDir;
  }
}
