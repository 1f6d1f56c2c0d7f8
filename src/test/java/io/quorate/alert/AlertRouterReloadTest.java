package io.quorate.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorate.alert.AlertEvent.Severity;
import io.quorate.config.Alerts;
import io.quorate.testsupport.MutableClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertRouter#reconfigure} (ADR 0017 amendment): an open problem's reminders survive a
 * reload that leaves its routing alone, follow the new channels from now on when the rules change
 * them, and stop when no rule reminds of it any more; new rules route the next event.
 */
class AlertRouterReloadTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final long HOUR = 3_600_000;
  final MutableClock clock = new MutableClock(T0);
  final List<String> raised = new ArrayList<>();
  final AlertSink sink =
      (e, channels) -> {
        raised.add(channels + " " + e.summary());
        return Future.succeededFuture(true);
      };

  static Alerts.Rule rule(String channel, long remindEveryMs) {
    return rule("verdict.*", channel, remindEveryMs);
  }

  static Alerts.Rule rule(String kind, String channel, long remindEveryMs) {
    return new Alerts.Rule(
        List.of(kind), List.of(), List.of(), Severity.INFO, List.of(channel), remindEveryMs, true);
  }

  static Alerts alerts(Alerts.Rule... rules) {
    return new Alerts(List.of(), List.of(rules), Alerts.DEFAULT_RETRY_FOR_MS, Alerts.Storm.DEFAULT);
  }

  static AlertEvent down(String subject) {
    return new AlertEvent(
        "evt_" + subject,
        "verdict.down",
        Severity.CRITICAL,
        subject,
        null,
        subject + " DOWN",
        Map.of(),
        T0,
        "eu-west",
        "target:" + subject,
        false);
  }

  void advance(Duration d, AlertRouter r) {
    clock.advance(d);
    r.tick();
  }

  @Test
  void remindersSurviveAnUnchangedRouteFollowNewChannelsAndStopWithoutARule() {
    AlertRouter r = new AlertRouter(alerts(rule("hook", HOUR)), sink, clock, "eu-west");
    r.raise(down("web-1"));
    advance(Duration.ofMinutes(61), r);

    r.reconfigure(alerts(rule("hook", HOUR), rule("dns.*", "other", HOUR))); // same route
    advance(Duration.ofMinutes(60), r);
    r.reconfigure(alerts(rule("pager", HOUR)));
    advance(Duration.ofMinutes(30), r);
    advance(Duration.ofMinutes(30), r);
    r.raise(down("web-2"));
    r.reconfigure(alerts(rule("pager", 0)));
    advance(Duration.ofHours(3), r);

    assertEquals(
        List.of(
            "[hook] web-1 DOWN",
            "[hook] [REMINDER 1] web-1 DOWN",
            "[hook] [REMINDER 2] web-1 DOWN",
            "[pager] [REMINDER 3] web-1 DOWN",
            "[pager] web-2 DOWN"),
        raised);
  }
}
