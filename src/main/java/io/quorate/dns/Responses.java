package io.quorate.dns;

import io.quorate.dns.DnsUpdateException.Kind;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/** Checks the TSIG of an answer from the primary and maps its RCODE to a typed failure. */
final class Responses {
  private Responses() {}

  /**
   * Fails unless {@code answer} is signed with {@code key} over {@code request}'s MAC (RFC 8945
   * §5.3). Two exceptions are taken as they come: BADSIG / BADKEY answers, which RFC 8945 §5.3.2
   * says are sent unsigned (the server could not verify us: NOT_AUTHORIZED), and BADTIME (the
   * server's clock differs from ours: BAD_TIME; it signs with our time, which may not verify).
   */
  static void verify(TsigKey key, TSIGRecord request, TcpDnsClient.Answer answer, String what) {
    Message m = answer.message();
    int rcode = m.getRcode();
    TSIGRecord tsig = m.getTSIG();
    if (tsig != null && (tsig.getError() == Rcode.BADSIG || tsig.getError() == Rcode.BADKEY)) {
      throw failure(Kind.NOT_AUTHORIZED, rcode, tsig.getError(), what + " refused: " + codes(m));
    }
    if (tsig != null && tsig.getError() == Rcode.BADTIME) {
      throw failure(Kind.BAD_TIME, rcode, tsig.getError(), what + " refused: " + codes(m));
    }
    int verified = key.verify(m, answer.wire(), request);
    if (verified != Rcode.NOERROR) {
      String why =
          tsig == null
              ? "the answer carries no TSIG"
              : "its TSIG did not verify (" + Rcode.TSIGstring(verified) + ")";
      throw failure(
          Kind.UNVERIFIED,
          rcode,
          tsig == null ? 0 : tsig.getError(),
          what + " answered " + Rcode.string(rcode) + " but " + why + ": outcome unknown");
    }
  }

  /**
   * The failure an UPDATE answer's RCODE stands for (RFC 2136 §2.2, §3.2-3.4; RFC 8945 §5.3), or
   * {@code null} for NOERROR.
   */
  static DnsUpdateException rcodeFailure(Message m, String what) {
    int rcode = m.getRcode();
    TSIGRecord tsig = m.getTSIG();
    int tsigError = tsig == null ? 0 : tsig.getError();
    Kind kind =
        switch (rcode) {
          case Rcode.NOERROR -> null;
          case Rcode.NXRRSET, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN ->
              Kind.PREREQUISITE_FAILED;
          case Rcode.NOTAUTH -> Kind.NOT_AUTHORIZED;
          case Rcode.REFUSED -> Kind.REFUSED;
          case Rcode.SERVFAIL -> Kind.SERVER_FAILURE;
          default -> Kind.PROTOCOL;
        };
    return kind == null ? null : failure(kind, rcode, tsigError, what + " refused: " + codes(m));
  }

  /** {@code NOTAUTH}, or {@code NOTAUTH(BADSIG)} with a TSIG error. */
  static String codes(Message m) {
    TSIGRecord tsig = m.getTSIG();
    String rcode = Rcode.string(m.getRcode());
    return tsig == null || tsig.getError() == 0
        ? rcode
        : rcode + "(" + Rcode.TSIGstring(tsig.getError()) + ")";
  }

  private static DnsUpdateException failure(Kind kind, int rcode, int tsigError, String detail) {
    return new DnsUpdateException(kind, rcode, tsigError, detail);
  }
}
