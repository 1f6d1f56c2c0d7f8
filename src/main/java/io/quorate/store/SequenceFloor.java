package io.quorate.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A floor for this agent's sequence numbers (mesh message seq and observation seq) that outlives a
 * restart, so a clock stepped back while the agent was down (an NTP correction at boot) cannot make
 * peers refuse its messages as replays, or keep its votes as "not newer" than the ones it sent
 * before.
 *
 * <p>Both sequences start at {@code epochMillis × 1000} and only grow. The file {@code
 * <dataDir>/sequence-floor} holds a reservation: every number the agent uses is below it. At start
 * the agent resumes above {@code max(stored, now × 1000)} and at once reserves {@link #RESERVE}
 * more; while it runs, {@link #extend} moves the reservation on before it is half used. The mesh
 * seq grows by about 1,000 per millisecond, so a reservation lasts about ten minutes of wall time.
 * Written atomically (temporary file, fsync, rename) on a worker thread; an unreadable file is
 * logged and ignored (the clock's floor then applies, as before this existed).
 */
public final class SequenceFloor {
  private static final Logger LOG = LoggerFactory.getLogger(SequenceFloor.class);

  /** The file inside the data directory. */
  public static final String FILE_NAME = "sequence-floor";

  /** Numbers reserved ahead: about 10 minutes of the mesh seq's growth (1,000 per ms). */
  public static final long RESERVE = 600_000_000L;

  private final Vertx vertx;
  private final Path file;
  private final long start;
  private volatile long reserved;
  private boolean writing;

  private SequenceFloor(Vertx vertx, Path file, long start, long reserved) {
    this.vertx = vertx;
    this.file = file;
    this.start = start;
    this.reserved = reserved;
  }

  /**
   * Reads the stored floor of {@code dataDir}, resumes at {@code max(stored, nowMillis × 1000)},
   * and writes the first reservation above it before the future completes.
   */
  public static Future<SequenceFloor> open(Vertx vertx, Path dataDir, long nowMillis) {
    Path file = dataDir.resolve(FILE_NAME);
    return vertx.executeBlocking(
        () -> {
          long stored = read(file);
          long start = Math.max(stored, nowMillis * 1000);
          write(file, start + RESERVE);
          if (stored > nowMillis * 1000) {
            LOG.warn(
                "mesh sequence-floor above-clock file={} floor={} clockFloor={} aheadMs={}",
                file,
                stored,
                nowMillis * 1000,
                (stored - nowMillis * 1000) / 1000);
          }
          return new SequenceFloor(vertx, file, start, start + RESERVE);
        });
  }

  /** Where both sequences resume: every number used before the restart is at most this. */
  public long start() {
    return start;
  }

  /** The reservation: every number used so far is below it. */
  public long reserved() {
    return reserved;
  }

  /**
   * Moves the reservation to {@code current + RESERVE} when {@code current} (the highest number
   * handed out) has used half of it; at most one write at a time. Never fails.
   */
  public synchronized Future<Void> extend(long current) {
    if (writing || current < reserved - RESERVE / 2) {
      return Future.succeededFuture();
    }
    writing = true;
    long next = current + RESERVE;
    return vertx
        .<Void>executeBlocking(
            () -> {
              write(file, next);
              return null;
            })
        .onComplete(
            ar -> {
              synchronized (this) {
                writing = false;
                if (ar.succeeded()) {
                  reserved = next;
                } else {
                  LOG.warn(
                      "mesh sequence-floor write-failed file={} error=\"{}\"",
                      file,
                      ar.cause().getMessage());
                }
              }
            })
        .otherwiseEmpty();
  }

  static long read(Path file) {
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > 32) {
        throw new NumberFormatException("longer than 32 bytes");
      }
      long v = Long.parseLong(new String(bytes, StandardCharsets.US_ASCII).trim());
      if (v < 0) {
        throw new NumberFormatException("negative");
      }
      return v;
    } catch (IOException | NumberFormatException e) {
      LOG.warn("mesh sequence-floor unreadable file={} error=\"{}\"; using the clock", file, e);
      return 0;
    }
  }

  static void write(Path file, long value) throws IOException {
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
