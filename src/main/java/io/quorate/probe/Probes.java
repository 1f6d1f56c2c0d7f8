package io.quorate.probe;

import io.quorate.probe.dns.DnsProbe;
import io.quorate.probe.http.HttpProbe;
import io.quorate.probe.tls.TlsProbe;
import java.util.List;

/** The standard probe set, one implementation per {@link io.quorate.config.ProbeType}. */
public final class Probes {
  private Probes() {}

  public static ProbeRegistry standard(ProbeContext ctx) {
    return new ProbeRegistry(List.of(new DnsProbe(ctx), new HttpProbe(ctx), new TlsProbe(ctx)));
  }
}
