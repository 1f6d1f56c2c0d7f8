package io.quorate.alert;

import io.quorate.config.Alerts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds one {@link ChannelSender} per configured channel. */
public final class Channels {
  private Channels() {}

  public static List<ChannelSender> build(Vertx vertx, Alerts alerts, Clock clock) {
    List<ChannelSender> out = new ArrayList<>();
    for (Alerts.Channel c : alerts.channels()) {
      if (c instanceof Alerts.Webhook w) {
        out.add(new WebhookSender(vertx, w, null, clock));
      } else if (c instanceof Alerts.Email e) {
        out.add(new EmailSender(vertx, e));
      }
    }
    return out;
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
