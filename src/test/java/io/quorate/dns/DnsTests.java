package io.quorate.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorate.config.DnsZone;
import io.quorate.config.Secret;
import io.quorate.failover.ChangePlan;
import io.quorate.failover.RRset;
import io.quorate.testsupport.Bind9Lab;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Zones, plans, plain queries and future helpers shared by the provider tests. */
final class DnsTests {
  static final String ZONE = "example.test";

  private DnsTests() {}

  /** The lab zone on 127.0.0.1:{@code port}, signed with the lab key. */
  static DnsZone zone(int port) {
    return zone(port, Bind9Lab.TSIG_KEY_NAME, Bind9Lab.TSIG_SECRET, null);
  }

  static DnsZone zone(int port, String keyName, String secret, String epochRecord) {
    return new DnsZone(
        ZONE,
        "127.0.0.1:" + port,
        new DnsZone.Tsig(keyName, "hmac-sha256", new Secret("${env:TEST_TSIG}", secret), false),
        List.of(),
        epochRecord,
        5_000,
        3_000);
  }

  static RRset rrset(String label, String type, long ttl, String... values) {
    return new RRset(label + "." + ZONE, type, ttl, Set.of(values));
  }

  static ChangePlan change(RRset expected, RRset desired) {
    return new ChangePlan("test", ChangePlan.Kind.CHANGE, expected, desired, List.of("test"), null);
  }

  /** The value of a future, waited for on the test thread (never an event loop). */
  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  /** The DnsUpdateException a future failed with. */
  static DnsUpdateException failure(Future<?> f) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
    return assertInstanceOf(DnsUpdateException.class, e.getCause());
  }

  static void assertKind(DnsUpdateException.Kind kind, Future<?> f) {
    DnsUpdateException e = failure(f);
    assertEquals(kind, e.kind(), e.getMessage());
  }

  /** A plain UDP query to 127.0.0.1:{@code port} from the test thread (independent of the code). */
  static Message query(int port, String name, int type) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2_000);
      Message q =
          Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
      byte[] wire = q.toWire();
      s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket in = new DatagramPacket(new byte[65_535], 65_535);
      s.receive(in);
      return new Message(Arrays.copyOf(in.getData(), in.getLength()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The RRset a server serves now, by a plain query. */
  static RRset served(int port, String label, String type) {
    String name = label + "." + ZONE;
    return Records.rrset(query(port, name, Type.value(type)), name, type);
  }

  static long serial(int port) {
    Message m = query(port, ZONE, Type.SOA);
    return ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }
}
