package io.quorate.dns;

import io.quorate.config.DnsZone;
import io.quorate.dns.DnsUpdateException.Kind;
import org.xbill.DNS.Message;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * A zone's TSIG key (RFC 8945) as dnsjava wants it: signs a request and verifies the answer against
 * the request's MAC. Its {@link #toString()} shows the key name and algorithm, never the secret.
 */
final class TsigKey {
  private final TSIG tsig;
  private final String label;

  private TsigKey(TSIG tsig, String label) {
    this.tsig = tsig;
    this.label = label;
  }

  /**
   * The key of {@code t}: hmac-sha256 / 384 / 512; hmac-md5 and hmac-sha1 only with {@code
   * allowWeak} (RFC 8945 §6: HMAC-MD5 and HMAC-SHA1 are deprecated). An unusable key fails with
   * NOT_AUTHORIZED: retrying will not help.
   */
  static TsigKey of(DnsZone.Tsig t) {
    if (t == null) {
      throw unusable("no TSIG key configured");
    }
    try {
      return new TsigKey(Records.tsig(t), t.name() + "/" + Records.tsigAlgorithm(t));
    } catch (IllegalArgumentException e) { // never quotes the secret
      throw unusable(e.getMessage());
    }
  }

  /** Signs {@code m} (its ID must be final) and returns the request's TSIG record. */
  TSIGRecord sign(Message m) {
    tsig.apply(m, null);
    return m.getTSIG();
  }

  /**
   * The TSIG verification result of an answer (an RCODE: NOERROR when verified; FORMERR when it
   * carries no TSIG; BADKEY, BADSIG or BADTIME otherwise). {@code wire} must be the exact bytes
   * received: the MAC covers the wire form, which cannot be re-created after parsing (name
   * compression).
   */
  int verify(Message answer, byte[] wire, TSIGRecord request) {
    return tsig.verify(answer, wire, request);
  }

  @Override
  public String toString() {
    return label;
  }

  private static DnsUpdateException unusable(String detail) {
    return new DnsUpdateException(Kind.NOT_AUTHORIZED, -1, 0, detail);
  }
}
