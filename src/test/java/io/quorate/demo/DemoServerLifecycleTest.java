package io.quorate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorate.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start/stop contract of the demo servers, seen from a plain socket: the web server's answers
 * and headers, stop closing keep-alive and mid-session connections, a stopped server refusing
 * connections, repeated and idempotent start/stop, and a start that cannot bind.
 */
class DemoServerLifecycleTest {
  private static Vertx vertx;

  /** A parsed HTTP/1.1 response. */
  private record Response(int status, Map<String, String> headers, String body) {}

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void webServerAnswersHealthPageAndErrors() throws Exception {
    DemoWebServer web = new DemoWebServer(vertx, "web-7", "127.0.0.1", Ports.free());
    web.start().await(10, TimeUnit.SECONDS);
    try (RawClient c = new RawClient("127.0.0.1", web.port())) {
      Response health = get(c, "GET", "/health");
      assertEquals(200, health.status());
      assertEquals("ok", health.body());
      assertEquals("quorate-demo", health.headers().get("server"));
      assertEquals("web-7", health.headers().get("x-demo-member"));
      Response page = get(c, "GET", "/");
      assertEquals(200, page.status());
      assertEquals("text/html; charset=utf-8", page.headers().get("content-type"));
      assertTrue(page.body().contains("<h1>web-7</h1>"), page.body());
      assertEquals(404, get(c, "GET", "/health/x").status());
      Response post = get(c, "POST", "/health");
      assertEquals(405, post.status());
      assertEquals("GET, HEAD", post.headers().get("allow"));
      Response head = get(c, "HEAD", "/health");
      assertEquals(200, head.status());
      assertEquals("", head.body());
    } finally {
      web.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void webStopClosesKeepAliveConnectionsAndRefusesUntilStartedAgain() throws Exception {
    DemoWebServer web = new DemoWebServer(vertx, "web-8", "127.0.0.1", Ports.free());
    for (int cycle = 0; cycle < 3; cycle++) {
      web.start().await(10, TimeUnit.SECONDS);
      web.start().await(10, TimeUnit.SECONDS); // idempotent
      assertTrue(web.running());
      try (RawClient c = new RawClient("127.0.0.1", web.port())) {
        assertEquals(200, get(c, "GET", "/health").status());
        web.stop().await(10, TimeUnit.SECONDS);
        assertFalse(web.running());
        assertEquals("", c.rest(), "the kept-alive connection is closed by stop");
      }
      assertThrows(ConnectException.class, () -> new RawClient("127.0.0.1", web.port()));
      web.stop().await(10, TimeUnit.SECONDS); // idempotent
    }
  }

  @Test
  void mailStopClosesOpenSessionsAndRefusesOnAllPorts() throws Exception {
    DemoMailServer.Ports ports = new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    DemoMailServer mail =
        new DemoMailServer(vertx, "mail-9", "127.0.0.1", "mail.demo.test", ports, DemoTls.load());
    mail.start().await(10, TimeUnit.SECONDS);
    try (RawClient c = new RawClient("127.0.0.1", ports.imap())) {
      assertTrue(c.line().startsWith("* OK "));
      assertEquals(1, mail.openSessions());
      mail.stop().await(10, TimeUnit.SECONDS);
      assertEquals("", c.rest(), "an open session is closed by stop");
      assertEquals(0, mail.openSessions());
    }
    for (int port : new int[] {ports.smtp(), ports.imap(), ports.pop3()}) {
      assertThrows(ConnectException.class, () -> new RawClient("127.0.0.1", port));
    }
    mail.start().await(10, TimeUnit.SECONDS);
    try (RawClient c = new RawClient("127.0.0.1", ports.pop3())) {
      assertEquals("+OK mail.demo.test Quorate demo POP3 ready", c.line());
    } finally {
      mail.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void mailStartThatCannotBindFailsAndReleasesTheOtherPorts() throws Exception {
    DemoMailServer.Ports ports = new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    DemoMailServer mail =
        new DemoMailServer(vertx, "mail-9", "127.0.0.1", "mail.demo.test", ports, DemoTls.load());
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), ports.pop3()));
      Exception e = assertThrows(Exception.class, () -> mail.start().await(10, TimeUnit.SECONDS));
      assertTrue(causedBy(e, BindException.class), e.toString());
      assertFalse(mail.running());
      assertThrows(ConnectException.class, () -> new RawClient("127.0.0.1", ports.smtp()));
      assertThrows(ConnectException.class, () -> new RawClient("127.0.0.1", ports.imap()));
    }
    mail.start().await(10, TimeUnit.SECONDS);
    assertTrue(mail.running());
    mail.stop().await(10, TimeUnit.SECONDS);
  }

  /**
   * Vert.x completes a server's close a few ms before the kernel refuses (1 stop in 20 before the
   * servers waited for it): a hundred cycles catch a regression.
   */
  @Test
  void fleetMembersRefuseRightAfterEveryStopOverAHundredCycles() throws Exception {
    int webPort = Ports.free();
    DemoMailServer.Ports mailPorts =
        new DemoMailServer.Ports(Ports.free(), Ports.free(), Ports.free());
    DemoFleet fleet =
        new DemoFleet(
            vertx,
            new DemoFleet.Layout(
                List.of(
                    new DemoFleet.WebSpec("web-1", "127.0.0.21", webPort),
                    new DemoFleet.WebSpec("web-2", "127.0.0.22", webPort)),
                List.of(
                    new DemoFleet.MailSpec("mail-1", "127.0.0.31", "mail1.demo.test", mailPorts))),
            DemoTls.load());
    fleet.start().await(10, TimeUnit.SECONDS);
    try {
      for (int cycle = 0; cycle < 100; cycle++) {
        Future.all(fleet.stop("web-2"), fleet.stop("mail-1")).await(10, TimeUnit.SECONDS);
        assertFalse(fleet.member("web-2").orElseThrow().running());
        assertThrows(ConnectException.class, () -> new RawClient("127.0.0.22", webPort));
        for (int port : new int[] {mailPorts.smtp(), mailPorts.imap(), mailPorts.pop3()}) {
          assertThrows(ConnectException.class, () -> new RawClient("127.0.0.31", port));
        }
        new RawClient("127.0.0.21", webPort).close(); // web-1 is untouched
        Future.all(fleet.start("web-2"), fleet.start("mail-1")).await(10, TimeUnit.SECONDS);
        assertTrue(fleet.member("mail-1").orElseThrow().running());
        new RawClient("127.0.0.22", webPort).close();
      }
    } finally {
      fleet.close().await(10, TimeUnit.SECONDS);
    }
    assertTrue(fleet.members().stream().noneMatch(DemoFleet.Member::running));
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Sends one request on the kept-alive connection and reads the response. */
  private static Response get(RawClient c, String method, String path) throws IOException {
    c.send(method + " " + path + " HTTP/1.1\r\nHost: www.demo.test\r\nContent-Length: 0\r\n\r\n");
    String status = c.line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = c.line(); h != null && !h.isEmpty(); h = c.line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = method.equals("HEAD") ? 0 : Integer.parseInt(headers.get("content-length"));
    return new Response(Integer.parseInt(status.split(" ")[1]), headers, c.bytes(length));
  }
}
