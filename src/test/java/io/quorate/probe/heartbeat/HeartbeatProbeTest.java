package io.quorate.probe.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.config.HeartbeatCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Secret;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Outcome;
import io.quorate.probe.ProbeResult;
import io.quorate.testsupport.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The heartbeat judgement against a controlled clock: period + grace, fail pings, newest wins. */
class HeartbeatProbeTest {
  static final long PERIOD = 60_000;
  static final long GRACE = 5_000;
  static final Target TARGET =
      new Target(
          "backup",
          ProbeType.HEARTBEAT,
          null,
          "",
          0,
          10_000,
          5_000,
          null,
          1,
          1,
          new HeartbeatCheck(PERIOD, GRACE, new Secret("${env:X}", "backup-token-0123456789")));

  final MutableClock clock = MutableClock.start();
  final HeartbeatBook book = new HeartbeatBook();
  final HeartbeatProbe probe = new HeartbeatProbe(book, clock);

  private ProbeResult run() {
    ProbeResult r = probe.run(TARGET).result();
    assertEquals("backup", r.targetId());
    assertEquals(clock.instant(), r.startedAt());
    return r;
  }

  @Test
  void withoutAnyPingNothingIsOverdueUntilPeriodPlusGraceSinceWatchingBegan() {
    Instant since = clock.instant();
    ProbeResult first = run();
    assertEquals(Outcome.UP, first.outcome(), "a new job has not had its first run yet");
    assertEquals("waiting for the first ping, due within 65000 ms of " + since, first.detail());
    assertEquals(since.toString(), first.facts().get("watchingSince"));
    clock.advanceMs(PERIOD + GRACE);
    assertEquals(Outcome.UP, run().outcome(), "exactly at the deadline is still in time");
    clock.advanceMs(1);
    ProbeResult missed = run();
    assertEquals(Outcome.DOWN, missed.outcome());
    assertEquals(ErrorKind.MISSED, missed.errorKind());
    assertEquals("no ping received yet, expected within 65000 ms of " + since, missed.detail());
    book.record("backup", new HeartbeatBook.Ping(clock.instant(), true, ""));
    assertEquals(Outcome.UP, run().outcome(), "the first ping, late, counts");
  }

  @Test
  void upUntilPeriodPlusGraceThenMissed() {
    Instant at = clock.instant();
    book.record("backup", new HeartbeatBook.Ping(at, true, ""));
    assertEquals(Outcome.UP, run().outcome());
    clock.advanceMs(PERIOD + GRACE);
    ProbeResult edge = run();
    assertEquals(Outcome.UP, edge.outcome(), "exactly at the deadline is still in time");
    assertNull(edge.errorKind());
    assertEquals(at.toString(), edge.facts().get("lastPingAt"));
    clock.advanceMs(1);
    ProbeResult late = run();
    assertEquals(Outcome.DOWN, late.outcome());
    assertEquals(ErrorKind.MISSED, late.errorKind());
    assertEquals("last ping 65001 ms ago, expected within 65000 ms", late.detail());
  }

  @Test
  void failPingIsDownWithItsMessageUntilAnOkPing() {
    book.record("backup", new HeartbeatBook.Ping(clock.instant(), false, "disk full"));
    ProbeResult r = run();
    assertEquals(Outcome.DOWN, r.outcome());
    assertEquals(ErrorKind.REPORTED, r.errorKind());
    assertEquals("disk full", r.detail());
    clock.advanceMs(1);
    book.record("backup", new HeartbeatBook.Ping(clock.instant(), false, ""));
    assertEquals("last ping reported failure", run().detail());
    clock.advanceMs(1);
    book.record("backup", new HeartbeatBook.Ping(clock.instant(), true, ""));
    assertEquals(Outcome.UP, run().outcome());
  }

  @Test
  void newestPingWinsWhateverTheOrderOfArrival() {
    Instant t0 = clock.instant();
    assertTrue(book.record("backup", new HeartbeatBook.Ping(t0.plusMillis(10), true, "")));
    assertFalse(book.record("backup", new HeartbeatBook.Ping(t0, false, "late relay")));
    assertEquals(t0.plusMillis(10), book.last("backup").orElseThrow().at());
    clock.advanceMs(10);
    assertEquals(Outcome.UP, run().outcome());
  }

  @Test
  void messagesAreBounded() {
    String max = "m".repeat(HeartbeatBook.MAX_MSG);
    assertEquals(max, new HeartbeatBook.Ping(clock.instant(), false, max).msg());
    assertThrows(
        IllegalArgumentException.class,
        () -> new HeartbeatBook.Ping(clock.instant(), false, max + "m"));
  }
}
