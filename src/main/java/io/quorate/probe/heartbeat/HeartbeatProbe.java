package io.quorate.probe.heartbeat;

import io.quorate.config.HeartbeatCheck;
import io.quorate.config.ProbeType;
import io.quorate.config.Target;
import io.quorate.probe.ErrorKind;
import io.quorate.probe.Probe;
import io.quorate.probe.ProbeResult;
import io.quorate.probe.Timings;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Judges a push target from the {@link HeartbeatBook}: UP while the last ping was ok and no older
 * than {@code periodMs + graceMs} (or, before any ping, while period + grace have not passed since
 * this agent began watching it); DOWN ({@link ErrorKind#MISSED}) when none arrived in time, DOWN
 * ({@link ErrorKind#REPORTED}) when the last ping said {@code status=fail}. Touches no network, so
 * it completes at once and never fails.
 */
public final class HeartbeatProbe implements Probe {
  private final HeartbeatBook book;
  private final Clock clock;

  /** When this agent first judged each target that has no ping (bounded by the target ids). */
  private final Map<String, Instant> watchingSince = new java.util.concurrent.ConcurrentHashMap<>();

  public HeartbeatProbe(HeartbeatBook book, Clock clock) {
    this.book = book;
    this.clock = clock;
  }

  @Override
  public ProbeType type() {
    return ProbeType.HEARTBEAT;
  }

  @Override
  public Future<ProbeResult> run(Target target) {
    Instant now = clock.instant();
    HeartbeatCheck check = target.check(HeartbeatCheck.class);
    return Future.succeededFuture(judge(target.id(), check, now));
  }

  private ProbeResult judge(String id, HeartbeatCheck check, Instant now) {
    Timings none = Timings.total(0);
    HeartbeatBook.Ping ping = book.last(id).orElse(null);
    if (ping == null) {
      return firstPing(id, check, now, none);
    }
    long ageMs = Math.max(0, Duration.between(ping.at(), now).toMillis());
    if (!ping.ok()) {
      String why = ping.msg().isEmpty() ? "last ping reported failure" : ping.msg();
      return ProbeResult.down(id, ErrorKind.REPORTED, why, now, none);
    }
    if (ageMs > check.deadlineMs()) {
      String why = "last ping " + ageMs + " ms ago, expected within " + check.deadlineMs() + " ms";
      return ProbeResult.down(id, ErrorKind.MISSED, why, now, none);
    }
    Map<String, String> facts = Map.of("lastPingAt", ping.at().toString());
    return ProbeResult.up(id, "last ping " + ageMs + " ms ago", now, none, null, facts);
  }

  /**
   * No ping known (a new target, or one never pinged): nothing is overdue until period + grace have
   * passed since this agent began watching it, as for a job that has not had its first run.
   */
  private ProbeResult firstPing(String id, HeartbeatCheck check, Instant now, Timings none) {
    Instant since = watchingSince.computeIfAbsent(id, k -> now);
    long waitedMs = Math.max(0, Duration.between(since, now).toMillis());
    Map<String, String> facts = Map.of("watchingSince", since.toString());
    if (waitedMs <= check.deadlineMs()) {
      String why =
          "waiting for the first ping, due within " + check.deadlineMs() + " ms of " + since;
      return ProbeResult.up(id, why, now, none, null, facts);
    }
    String why = "no ping received yet, expected within " + check.deadlineMs() + " ms of " + since;
    return ProbeResult.down(id, ErrorKind.MISSED, why, now, none);
  }
}
