package io.quorate.dns.auth;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;

/**
 * Responses to queries whose TSIG fails (RFC 8945 §5.2): NOTAUTH with the TSIG error; BADKEY and
 * BADSIG carry an empty MAC, BADTIME is signed and carries our time in Other Data. The BADTIME MAC
 * is computed here: dnsjava 3.6.3 signs it as if Other Data were empty, so no verifier (its own
 * included) accepts it.
 */
final class TsigErrors {
  private TsigErrors() {}

  /** {@code r}: the NOTAUTH response so far; the query's TSIG failed with {@code error}. */
  static byte[] response(
      Message r, Message q, int error, ZoneKeys keys, Optional<ZoneSnapshot> zone) {
    r.removeAllRecords(Section.ADDITIONAL); // the TSIG must be the last record: no OPT
    TSIGRecord t = q.getTSIG();
    ZoneKeys.Raw key = zone.map(z -> keys.raw(z.origin())).orElse(null);
    Instant now = Instant.now();
    if (error == Rcode.BADTIME && key != null) {
      byte[] other = time(now);
      byte[] mac = badtimeMac(r.toWire(), t, key, other);
      r.addRecord(tsig(t, r, mac, error, other), Section.ADDITIONAL);
    } else {
      TSIGRecord empty =
          new TSIGRecord(
              t.getName(),
              DClass.ANY,
              0,
              t.getAlgorithm(),
              now,
              t.getFudge(),
              new byte[0],
              q.getHeader().getID(),
              error,
              null);
      r.addRecord(empty, Section.ADDITIONAL);
    }
    return r.toWire();
  }

  private static TSIGRecord tsig(TSIGRecord t, Message r, byte[] mac, int error, byte[] other) {
    return new TSIGRecord(
        t.getName(),
        DClass.ANY,
        0,
        t.getAlgorithm(),
        t.getTimeSigned(), // RFC 8945 §5.2.3: the client's time, ours in Other Data
        t.getFudge(),
        mac,
        r.getHeader().getID(),
        error,
        other);
  }

  /** RFC 8945 §4.3.1 / §4.3.3: request MAC, response, TSIG variables (Other Data included). */
  private static byte[] badtimeMac(byte[] body, TSIGRecord t, ZoneKeys.Raw key, byte[] other) {
    try {
      Mac mac = Mac.getInstance(key.jce());
      mac.init(new SecretKeySpec(key.secret(), key.jce()));
      DNSOutput prior = new DNSOutput();
      prior.writeU16(t.getSignature().length);
      mac.update(prior.toByteArray());
      mac.update(t.getSignature());
      mac.update(body);
      DNSOutput v = new DNSOutput();
      key.name().toWireCanonical(v);
      v.writeU16(DClass.ANY);
      v.writeU32(0);
      key.algorithm().toWireCanonical(v);
      v.writeByteArray(time(t.getTimeSigned()));
      v.writeU16((int) t.getFudge().getSeconds());
      v.writeU16(Rcode.BADTIME);
      v.writeU16(other.length);
      v.writeByteArray(other);
      return mac.doFinal(v.toByteArray());
    } catch (GeneralSecurityException e) {
      return new byte[0];
    }
  }

  /** A 48-bit Unix time (RFC 8945 §4.2). */
  private static byte[] time(Instant when) {
    long s = when.getEpochSecond();
    DNSOutput out = new DNSOutput();
    out.writeU16((int) (s >>> 32));
    out.writeU32(s & 0xFFFFFFFFL);
    return out.toByteArray();
  }
}
