package io.quorate.dns.auth;

import io.quorate.config.DnsZone;
import io.quorate.dns.Records;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * The TSIG key (RFC 8945) of each embedded zone, as dnsjava wants it: verifies signed queries and
 * transfers, signs answers and NOTIFY. Zones without a {@code tsig} block have no key (their
 * transfers are refused). Weak algorithms are accepted only with {@code allowWeak} (RFC 8945 §6).
 */
public final class ZoneKeys {
  private final Map<Name, TSIG> keys = new HashMap<>();

  /**
   * @throws IllegalArgumentException when a key is unusable (algorithm not allowed, bad secret);
   *     the message never quotes the secret
   */
  public ZoneKeys(List<DnsZone> zones) {
    for (DnsZone z : zones) {
      if (z.isEmbedded() && z.tsig() != null) {
        keys.put(Records.name(z.zone()), key(z.tsig()));
      }
    }
  }

  /** The key of the zone with apex {@code origin} (canonical), or {@code null}. */
  public TSIG of(Name origin) {
    return keys.get(origin);
  }

  static TSIG key(DnsZone.Tsig t) {
    String alg =
        (t.algorithm() == null ? DnsZone.Tsig.DEFAULT_ALGORITHM : t.algorithm())
            .toLowerCase(Locale.ROOT);
    Name algName =
        switch (alg) {
          case "hmac-sha256" -> TSIG.HMAC_SHA256;
          case "hmac-sha384" -> TSIG.HMAC_SHA384;
          case "hmac-sha512" -> TSIG.HMAC_SHA512;
          case "hmac-sha1" -> t.allowWeak() ? TSIG.HMAC_SHA1 : null;
          case "hmac-md5" -> t.allowWeak() ? TSIG.HMAC_MD5 : null;
          default -> null;
        };
    if (algName == null) {
      throw new IllegalArgumentException("TSIG algorithm '" + alg + "' not allowed");
    }
    try {
      return new TSIG(algName, Records.name(t.name()), t.secret().reveal());
    } catch (RuntimeException e) { // never echo the secret: dnsjava's message may quote it
      throw new IllegalArgumentException("TSIG key " + t.name() + " has an invalid secret");
    }
  }
}
