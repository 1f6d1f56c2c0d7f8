package io.quorate.alert;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dispatcher's log lines: one per attempt, {@code alert key=value}. */
final class DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  void attempted(Outbox.Due d, int attempt, DeliveryResult r, Instant next) {
    String event = d.event().id();
    switch (r.outcome()) {
      case DELIVERED ->
          LOG.info(
              "alert delivered event={} channel={} attempt={} status={}",
              event,
              d.channelId(),
              attempt,
              r.status());
      case RETRY -> {
        if (next == null) {
          LOG.warn(
              "alert dead event={} channel={} attempt={} status={} reason=\"retry period over: {}\"",
              event,
              d.channelId(),
              attempt,
              r.status(),
              r.detail());
        } else {
          LOG.info(
              "alert retry event={} channel={} attempt={} status={} next={} detail=\"{}\"",
              event,
              d.channelId(),
              attempt,
              r.status(),
              next,
              r.detail());
        }
      }
      case GONE ->
          LOG.warn(
              "alert channel-gone event={} channel={} attempt={} detail=\"{}\"",
              event,
              d.channelId(),
              attempt,
              r.detail());
      case FAILED ->
          LOG.warn(
              "alert dead event={} channel={} attempt={} status={} reason=\"{}\"",
              event,
              d.channelId(),
              attempt,
              r.status(),
              r.detail());
    }
  }

  void policyFailed(Outbox.Due d, RuntimeException e) {
    LOG.warn("alert policy-failed event={} channel={} error={}", d.event().id(), d.channelId(), e);
  }

  void storeFailed(Outbox.Due d, Throwable err) {
    LOG.warn(
        "alert record-failed event={} channel={} error={}",
        d.event().id(),
        d.channelId(),
        err.toString());
  }

  void compacted(int n) {
    if (n > 0) {
      LOG.info("alert compacted events={}", n);
    }
  }
}
