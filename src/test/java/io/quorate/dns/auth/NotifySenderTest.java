package io.quorate.dns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.dns.Records;
import io.quorate.testsupport.Bind9Lab;
import io.quorate.testsupport.Poll;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * NOTIFY to a secondary that never answers: signed, sent exactly {@link NotifySender#MAX_TRIES}
 * times with growing gaps, then counted once as failed. (The acknowledged path is proven by BIND in
 * {@link AuthoritativeTransferTest}.)
 */
@ExtendWith(VertxExtension.class)
class NotifySenderTest {
  private static final TSIG KEY =
      new TSIG(TSIG.HMAC_SHA256, Records.name(Bind9Lab.TSIG_KEY_NAME), Bind9Lab.TSIG_SECRET);

  @Test
  void anUnansweredNotifyIsRetriedFiveTimesThenGivenUp(Vertx vertx) throws Exception {
    try (DatagramSocket silent =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      String target = "127.0.0.1:" + silent.getLocalPort();
      try (AuthFixture auth =
          AuthFixture.start(
              vertx,
              Clock.systemUTC(),
              new AuthoritativeServer.Limits(8, 10_000, 50),
              List.of(target))) {
        var name = Records.name("n.demo.test");
        Record r = new ARecord(name, DClass.IN, 60, InetAddress.getByName("127.0.0.8"));
        long serial =
            auth.store
                .apply(Records.name("demo.test"), name, Type.A, List.of(), List.of(r))
                .serial();
        silent.setSoTimeout(3000);
        long[] at = new long[NotifySender.MAX_TRIES];
        int id = -1;
        for (int i = 0; i < NotifySender.MAX_TRIES; i++) {
          DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
          silent.receive(p);
          at[i] = System.nanoTime();
          byte[] wire = Arrays.copyOf(p.getData(), p.getLength());
          Message m = new Message(wire);
          assertEquals(Opcode.NOTIFY, m.getHeader().getOpcode());
          assertTrue(m.getHeader().getFlag(Flags.AA));
          assertEquals(Type.SOA, m.getQuestion().getType());
          assertEquals(Records.name("demo.test"), m.getQuestion().getName());
          assertEquals(serial, ((org.xbill.DNS.SOARecord) m.getSection(1).get(0)).getSerial());
          assertNotNull(m.getTSIG());
          assertEquals(Rcode.NOERROR, KEY.verify(m, wire, null));
          id = i == 0 ? m.getHeader().getID() : id;
          assertEquals(id, m.getHeader().getID()); // a retry, not a new NOTIFY
        }
        long lastGapMs = (at[4] - at[3]) / 1_000_000;
        assertTrue(lastGapMs >= 350, "backoff doubles: last gap " + lastGapMs + " ms"); // 400 ms
        Poll.until(
            Duration.ofSeconds(5),
            "notify counted as failed",
            () -> auth.count("quorate.dns.notify", "zone", "demo.test", "outcome", "failed"),
            n -> n == 1);
      }
    }
  }
}
