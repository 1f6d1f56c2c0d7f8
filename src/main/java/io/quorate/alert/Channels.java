package io.quorate.alert;

import io.quorate.config.Alerts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds one {@link ChannelSender} per configured channel, at start and on a live reload. */
public final class Channels {
  private Channels() {}

  public static List<ChannelSender> build(Vertx vertx, Alerts alerts, Clock clock) {
    List<ChannelSender> out = new ArrayList<>();
    for (Alerts.Channel c : alerts.channels()) {
      out.add(build(vertx, c, clock));
    }
    return out;
  }

  /**
   * The senders for {@code after} on a live reload (ADR 0017): a channel whose config is equal in
   * {@code before} (same id, same record: URL, format, secrets, timeouts, relay…) keeps its sender
   * from {@code running}; a changed or added one gets a new sender.
   */
  public static List<ChannelSender> rebuild(
      Vertx vertx, Alerts before, Alerts after, List<ChannelSender> running, Clock clock) {
    java.util.Map<String, ChannelSender> byId = new java.util.HashMap<>();
    running.forEach(s -> byId.put(s.channelId(), s));
    List<ChannelSender> out = new ArrayList<>();
    for (Alerts.Channel c : after.channels()) {
      boolean same = before.channels().contains(c) && byId.containsKey(c.id());
      out.add(same ? byId.get(c.id()) : build(vertx, c, clock));
    }
    return out;
  }

  private static ChannelSender build(Vertx vertx, Alerts.Channel c, Clock clock) {
    if (c instanceof Alerts.Webhook w) {
      TrustOptions trust =
          w.caFile() == null ? null : new PemTrustOptions().addCertPath(w.caFile());
      return new WebhookSender(vertx, w, trust, clock);
    }
    return new EmailSender(vertx, (Alerts.Email) c);
  }

  /** Closes every sender; never fails. */
  public static Future<Void> close(List<ChannelSender> senders) {
    List<Future<Void>> closing = new ArrayList<>();
    for (ChannelSender s : senders) {
      if (s instanceof WebhookSender w) {
        closing.add(w.close());
      } else if (s instanceof EmailSender e) {
        closing.add(e.close());
      }
    }
    return Future.join(closing).<Void>mapEmpty().otherwiseEmpty();
  }
}
