package io.quorate.dns;

import io.quorate.dns.DnsUpdateException.Kind;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import java.security.SecureRandom;
import java.util.Random;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Builds the signed-to-be messages the provider sends: reads and compare-and-set UPDATEs. */
final class UpdateMessages {
  /**
   * The largest UPDATE sent, signed, in bytes. A DNS message over TCP may reach 65,535 bytes (RFC
   * 1035 §4.2.2), but a pool is a handful of records (~1,000 A records fit in 16 KiB): anything
   * larger is a configuration mistake, and some servers and middleboxes handle big UPDATEs badly.
   * Refusing it before sending keeps a half-understood write off the wire.
   */
  static final int MAX_UPDATE_BYTES = 16 * 1024;

  /** TTL of the epoch TXT record when it is first written. */
  static final long EPOCH_TTL = 60;

  /** Message IDs must be unpredictable (RFC 5452 §4.3). */
  private static final Random IDS = new SecureRandom();

  /** The epoch fence as read: its current value (0 when absent) and TTL. */
  record Epoch(String owner, long value, boolean present, long ttl) {
    static Epoch of(RRset txt) {
      if (txt.isEmpty()) {
        return new Epoch(txt.name(), 0, false, EPOCH_TTL);
      }
      if (txt.values().size() != 1) {
        throw new DnsUpdateException(
            Kind.PROTOCOL, -1, 0, "epoch record " + txt.name() + " has " + txt.values().size());
      }
      String v = txt.values().iterator().next();
      try {
        return new Epoch(txt.name(), Long.parseLong(v.trim()), true, txt.ttl());
      } catch (NumberFormatException e) {
        throw new DnsUpdateException(
            Kind.PROTOCOL, -1, 0, "epoch record " + txt.name() + " is not a number: '" + v + "'");
      }
    }
  }

  private UpdateMessages() {}

  /** A non-recursive query for {@code name}/{@code type} with a random ID. */
  static Message query(String name, String type) {
    Message q =
        Message.newQuery(Record.newRecord(Records.name(name), Records.type(type), DClass.IN));
    q.getHeader().setID(IDS.nextInt(0x10000));
    q.getHeader().unsetFlag(Flags.RD);
    return q;
  }

  /**
   * One UPDATE for {@code zone} (RFC 2136 §2): prerequisites = exactly {@code plan.expected()} (one
   * §2.4.2 value-dependent RR per record, TTL 0 as §2.4.2 requires, or §2.4.5 "RRset does not
   * exist" when empty), then delete the RRset (§2.5.2) and add every desired record with {@code
   * plan.desired().ttl()}. With an epoch, the same for its TXT record: require the value read and
   * replace it with value + 1. The server applies all of it or nothing (§3.4: prerequisites are
   * checked before any change).
   */
  static Update update(Name zone, ChangePlan plan, Epoch epoch) {
    RRset expected = plan.expected();
    RRset desired = plan.desired();
    Name owner = Records.name(desired.name());
    int type = Records.type(desired.type());
    Update u = new Update(zone);
    u.getHeader().setID(IDS.nextInt(0x10000));
    if (expected.isEmpty()) {
      u.absent(owner, type);
    } else {
      Records.records(expected, 0).forEach(u::present);
    }
    if (epoch != null) {
      Name epochOwner = Records.name(epoch.owner());
      if (epoch.present()) {
        u.present(Records.record(epochOwner, Type.TXT, 0, quoted(epoch.value())));
      } else {
        u.absent(epochOwner, Type.TXT);
      }
    }
    u.delete(owner, type);
    Records.records(desired, desired.ttl()).forEach(u::add);
    if (epoch != null) {
      Name epochOwner = Records.name(epoch.owner());
      u.delete(epochOwner, Type.TXT);
      u.add(Records.record(epochOwner, Type.TXT, epoch.ttl(), quoted(epoch.value() + 1)));
    }
    return u;
  }

  private static String quoted(long value) {
    return "\"" + value + "\"";
  }
}
