package io.quorate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stored sequence floor: resume above it or the clock, reserve ahead, survive bad files. */
@ExtendWith(VertxExtension.class)
class SequenceFloorTest {
  static final long NOW_MS = 1_795_000_000_000L;

  @TempDir Path dir;

  private long stored() throws Exception {
    return Long.parseLong(Files.readString(dir.resolve(SequenceFloor.FILE_NAME)).trim());
  }

  @Test
  void aFirstStartResumesAtTheClockAndReservesAhead(Vertx vertx) throws Exception {
    SequenceFloor f = SequenceFloor.open(vertx, dir, NOW_MS).await();
    assertEquals(NOW_MS * 1000, f.start());
    assertEquals(NOW_MS * 1000 + SequenceFloor.RESERVE, stored());
  }

  @Test
  void aRestartWithTheClockBehindResumesAboveTheReservation(Vertx vertx) throws Exception {
    SequenceFloor.open(vertx, dir, NOW_MS).await();
    long reserved = stored();
    SequenceFloor again = SequenceFloor.open(vertx, dir, NOW_MS - 20_000).await(); // stepped back
    assertEquals(reserved, again.start());
    assertEquals(reserved + SequenceFloor.RESERVE, stored());
  }

  @Test
  void theReservationMovesOnOnlyOnceHalfOfItIsUsed(Vertx vertx) throws Exception {
    SequenceFloor f = SequenceFloor.open(vertx, dir, NOW_MS).await();
    long first = f.reserved();
    f.extend(first - SequenceFloor.RESERVE / 2 - 1).await();
    assertEquals(first, stored(), "less than half used: not written");
    long current = first - SequenceFloor.RESERVE / 2;
    f.extend(current).await();
    assertEquals(current + SequenceFloor.RESERVE, stored());
    assertEquals(current + SequenceFloor.RESERVE, f.reserved());
  }

  @Test
  void anUnreadableFileFallsBackToTheClock(Vertx vertx) throws Exception {
    Files.writeString(dir.resolve(SequenceFloor.FILE_NAME), "not a number\n");
    assertEquals(NOW_MS * 1000, SequenceFloor.open(vertx, dir, NOW_MS).await().start());
    Files.writeString(dir.resolve(SequenceFloor.FILE_NAME), "-5");
    assertEquals(NOW_MS * 1000, SequenceFloor.open(vertx, dir, NOW_MS).await().start());
    Files.writeString(dir.resolve(SequenceFloor.FILE_NAME), "9".repeat(40));
    assertEquals(NOW_MS * 1000, SequenceFloor.open(vertx, dir, NOW_MS).await().start());
  }
}
