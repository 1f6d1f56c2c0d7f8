package io.quorate.probe;

import io.quorate.probe.dns.DnsProbe;
import io.quorate.probe.heartbeat.HeartbeatBook;
import io.quorate.probe.heartbeat.HeartbeatProbe;
import io.quorate.probe.http.HttpProbe;
import io.quorate.probe.mail.ImapProbe;
import io.quorate.probe.mail.MailflowProbe;
import io.quorate.probe.mail.Pop3Probe;
import io.quorate.probe.mail.SmtpProbe;
import io.quorate.probe.tcp.TcpProbe;
import io.quorate.probe.tls.TlsProbe;
import java.util.List;

/** The standard probe set, one implementation per {@link io.quorate.config.ProbeType}. */
public final class Probes {
  private Probes() {}

  /** With a private {@link HeartbeatBook} (nothing can ping it: heartbeat targets stay DOWN). */
  public static ProbeRegistry standard(ProbeContext ctx) {
    return standard(ctx, new HeartbeatBook());
  }

  /** With the agent's shared book of heartbeat pings. */
  public static ProbeRegistry standard(ProbeContext ctx, HeartbeatBook book) {
    return new ProbeRegistry(
        List.of(
            new DnsProbe(ctx),
            new HttpProbe(ctx),
            new TlsProbe(ctx),
            new TcpProbe(ctx),
            new SmtpProbe(ctx),
            new ImapProbe(ctx),
            new Pop3Probe(ctx),
            new MailflowProbe(ctx),
            new HeartbeatProbe(book, ctx.clock())));
  }
}
