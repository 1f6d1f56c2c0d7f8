package io.quorate.dns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.DatagramSocket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The UDP socket ({@link UdpListener}, raw Netty on the verticle's loop) still reports Vert.x's
 * datagram meters, as the Vert.x {@code DatagramSocket} it replaced did, on a Vert.x built like the
 * agent's (Micrometer metrics enabled).
 */
class AuthoritativeUdpMetricsTest {
  private static final SimpleMeterRegistry VERTX_METERS = new SimpleMeterRegistry();
  private static Vertx vertx;
  private static AuthFixture auth;

  @BeforeAll
  static void start() throws Exception {
    vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(VERTX_METERS))
            .build();
    auth =
        AuthFixture.start(vertx, Clock.systemUTC(), AuthoritativeServer.Limits.DEFAULT, List.of());
  }

  @AfterAll
  static void stop() throws Exception {
    auth.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bytesReadAndWrittenAreMetered() throws Exception {
    Message q =
        Message.newQuery(Record.newRecord(Name.fromString("www.demo.test."), Type.A, DClass.IN));
    byte[] wire = q.toWire();
    Message a;
    try (DatagramSocket s = new DatagramSocket()) {
      a = RawDns.udpExchange(s, auth.port(), wire);
    }
    assertNotNull(a);
    DistributionSummary read = VERTX_METERS.find("vertx.datagram.bytes.read").summary();
    DistributionSummary written = VERTX_METERS.find("vertx.datagram.bytes.written").summary();
    assertNotNull(read, VERTX_METERS.getMetersAsString());
    assertNotNull(written, VERTX_METERS.getMetersAsString());
    assertEquals(1, read.count());
    assertEquals(wire.length, read.totalAmount());
    assertEquals(1, written.count());
    assertEquals(a.toWire().length, written.totalAmount());
  }
}
