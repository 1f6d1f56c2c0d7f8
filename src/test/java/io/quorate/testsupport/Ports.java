package io.quorate.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free loopback ports and readiness waits for lab servers. Never a fixed port. */
public final class Ports {
  private Ports() {}

  /**
   * A port that is free for both TCP and UDP on 127.0.0.1 right now, chosen OUTSIDE the kernel's
   * ephemeral range and never handed out twice by this JVM.
   *
   * <p>A port the kernel picks for a bind to port 0 lies in the ephemeral range, so between this
   * call and the moment the server that should use it binds, any outgoing connection or UDP socket
   * (a probe, an HTTP client, a lab daemon) may be given the same port as its local port: CI hit
   * that as a {@code BindException} while a cluster's agents started. Ports below the ephemeral
   * range are only ever taken by an explicit bind, and remembering what was handed out keeps two
   * callers in one JVM apart.
   */
  public static int free() {
    return freeRange(1);
  }

  /**
   * Waits until something accepts TCP connections on 127.0.0.1:{@code port}, or fails after {@code
   * limit}. Polls with short connects (this is test-support code on the test thread, not an event
   * loop).
   */
  /**
   * The first of {@code n} consecutive ports free for TCP and UDP on loopback (the demo's regions
   * use a base port and the next ones), chosen outside the kernel's ephemeral range for the reason
   * given at {@link #free()}, and never overlapping ports handed out before by this JVM.
   */
  public static synchronized int freeRange(int n) {
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    for (int attempt = 0; attempt < 400; attempt++) {
      int base = LOW + random.nextInt(HIGH - LOW - n);
      boolean ok = true;
      for (int i = 0; i < n && ok; i++) {
        ok = !HANDED_OUT.contains(base + i) && isFree(base + i);
      }
      if (ok) {
        for (int i = 0; i < n; i++) {
          HANDED_OUT.add(base + i);
        }
        if (HANDED_OUT.size() > (HIGH - LOW) / 2) {
          HANDED_OUT.clear(); // long runs: forget the oldest rather than run dry
        }
        return base;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports in " + LOW + "-" + HIGH);
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /** Lowest port handed out; below it sit well-known and registered service ports. */
  private static final int LOW = 20_000;

  /** One past the highest port handed out: the start of the kernel's ephemeral range. */
  private static final int HIGH = ephemeralStart();

  private static int ephemeralStart() {
    try {
      // a line reader: Files.readString trusts the size procfs reports and returned "3" here
      String range;
      try (java.io.BufferedReader in =
          java.nio.file.Files.newBufferedReader(
              java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        range = String.valueOf(in.readLine()).trim();
      }
      int start = Integer.parseInt(range.split("\\s+")[0]);
      if (start < LOW + 2_000) {
        throw new IllegalStateException(
            "the ephemeral port range starts at "
                + start
                + " (net.ipv4.ip_local_port_range); the tests need at least "
                + (LOW + 2_000)
                + " so that lab ports below it cannot be taken by outgoing sockets");
      }
      return start;
    } catch (IOException e) {
      return 32_768; // Linux's default
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      try (DatagramSocket udp =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
  }

  public static void awaitTcp(int port, Duration limit, ProcessHandle owner) {
    awaitTcp("127.0.0.1", port, limit, owner);
  }

  /** Like {@link #awaitTcp(int, Duration, ProcessHandle)} on another loopback address. */
  public static void awaitTcp(String host, int port, Duration limit, ProcessHandle owner) {
    long deadline = System.nanoTime() + limit.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (owner != null && !owner.isAlive()) {
        throw new IllegalStateException(
            "process " + owner.pid() + " exited before port " + port + " opened");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 200);
        return;
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(20); // polling a child process's readiness, not synchronising our own code
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
    throw new IllegalStateException("port " + port + " not open after " + limit, last);
  }

  /**
   * Waits until a child daemon has created {@code path} (e.g. a UNIX socket), or fails after {@code
   * limit}; polls like {@link #awaitTcp}.
   */
  public static void awaitPath(java.nio.file.Path path, Duration limit, ProcessHandle owner) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(path)) {
        return;
      }
      if (owner != null && !owner.isAlive()) {
        throw new IllegalStateException(
            "process " + owner.pid() + " exited before " + path + " appeared");
      }
      try {
        Thread.sleep(20); // polling a child process's readiness, not synchronising our own code
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(ie);
      }
    }
    throw new IllegalStateException(path + " did not appear within " + limit);
  }
}
